/** The platform mark: a stylised "A" over a node, in the city's red. Decorative (text beside it names the site). */
export function LogoMark({ size = 32 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="#0f4c81" />
      <path d="M8 22 L16 8 L24 22 Z" fill="none" stroke="#fff" strokeWidth="2.5" strokeLinejoin="round" />
      <circle cx="16" cy="18" r="2.6" fill="#fff" />
    </svg>
  );
}
