/**
 * A calm full-width state (not found, forbidden, done) — a light stand-in for Ant Design's
 * Result, whose illustrations would weigh on the public bundle.
 */
export function StatusBlock({
  tone,
  title,
  detail,
  extra,
  testId,
}: {
  tone: 'info' | 'warning' | 'success';
  title: string;
  detail?: React.ReactNode;
  extra?: React.ReactNode;
  testId?: string;
}) {
  const symbol = tone === 'success' ? '✓' : tone === 'warning' ? '!' : 'i';
  return (
    <div className={`status-block status-${tone}`} role="status" data-testid={testId}>
      <div className="status-symbol" aria-hidden="true">
        {symbol}
      </div>
      <p className="status-title">{title}</p>
      {detail !== undefined && detail !== '' ? <p className="status-detail">{detail}</p> : null}
      {extra !== undefined ? <div className="status-extra">{extra}</div> : null}
    </div>
  );
}
