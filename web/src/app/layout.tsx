import { GlobalOutlined, MenuOutlined } from '@ant-design/icons';
import { Alert, Button, Drawer, Menu, Skeleton, Space, type MenuProps } from 'antd';
import { Suspense, useEffect, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { ORGANIZATION_ROLES } from '../api/types.ts';
import { LogoMark } from '../components/logo.tsx';
import { useToast } from '../components/toast.tsx';
import { useCalendarStatus } from '../features/calendar/hooks.ts';
import { hasAnyRole, useLogout, useMe } from '../features/identity/hooks.ts';
import { OrganizationStatusBanner } from '../features/identity/organization-status-banner.tsx';
import { changeLanguage, useI18n } from '../i18n/index.ts';

interface NavEntry {
  to: string;
  label: string;
}

interface NavGroup {
  key: string;
  label: string;
  children: NavEntry[];
}

/** Which areas a user sees; the server still checks every request. */
function useNavigation(): (NavEntry | NavGroup)[] {
  const { t } = useI18n();
  const { data: user } = useMe();
  const entries: (NavEntry | NavGroup)[] = [
    { to: '/', label: t('nav.register') },
    { to: '/self-check', label: t('nav.selfCheck') },
    { to: '/transparency', label: t('nav.transparency') },
    { to: '/ethics-opinions', label: t('nav.ethicsOpinions') },
  ];
  if (hasAnyRole(user, ORGANIZATION_ROLES)) entries.push({ to: '/provider', label: t('nav.provider') });
  if (hasAnyRole(user, ['reviewer', 'regulator_admin'])) {
    entries.push({
      key: 'review',
      label: t('nav.review'),
      children: [
        ...(hasAnyRole(user, ['reviewer']) ? [{ to: '/review', label: t('nav.reviewQueue') }] : []),
        { to: '/review/stats', label: t('nav.reviewStats') },
      ],
    });
  }
  if (hasAnyRole(user, ['ethics_member', 'ethics_secretary', 'reviewer', 'regulator_admin'])) {
    entries.push({ to: '/ethics', label: t('nav.ethics') });
  }
  if (hasAnyRole(user, ['regulator_admin'])) {
    entries.push({
      key: 'admin',
      label: t('nav.admin'),
      children: [
        { to: '/admin/organizations', label: t('nav.organizations') },
        { to: '/admin/users', label: t('nav.users') },
        { to: '/admin/catalogue', label: t('nav.catalogue') },
        { to: '/admin/calendar', label: t('nav.calendar') },
        { to: '/admin/audit', label: t('nav.audit') },
      ],
    });
  }
  return entries;
}

function toMenuItems(entries: (NavEntry | NavGroup)[], onNavigate?: () => void): MenuProps['items'] {
  return entries.map((entry) =>
    'children' in entry
      ? {
          key: entry.key,
          label: entry.label,
          children: entry.children.map((child) => ({
            key: child.to,
            label: (
              <Link to={child.to} onClick={onNavigate}>
                {child.label}
              </Link>
            ),
          })),
        }
      : {
          key: entry.to,
          label: (
            <Link to={entry.to} onClick={onNavigate}>
              {entry.label}
            </Link>
          ),
        },
  );
}

/** The nav entry a path belongs to: the longest matching prefix (so /search lights up the register). */
function selectedKey(pathname: string, entries: (NavEntry | NavGroup)[]): string[] {
  const paths = entries.flatMap((entry) => ('children' in entry ? entry.children.map((c) => c.to) : [entry.to]));
  if (pathname === '/' || pathname.startsWith('/search') || pathname.startsWith('/products/')) return ['/'];
  const match = paths
    .filter((path) => path !== '/' && (pathname === path || pathname.startsWith(`${path}/`)))
    .sort((a, b) => b.length - a.length)[0];
  return match === undefined ? [] : [match];
}

function LanguageSwitch() {
  const { t, isEn } = useI18n();
  return (
    <Button
      icon={<GlobalOutlined aria-hidden="true" />}
      lang={isEn ? 'zh-CN' : 'en'}
      aria-label={t('nav.switchLanguageLabel')}
      data-testid="language-switch"
      onClick={() => void changeLanguage(isEn ? 'zh-CN' : 'en')}
    >
      {t('nav.otherLanguage')}
    </Button>
  );
}

function Account({ vertical = false, onNavigate }: { vertical?: boolean; onNavigate?: () => void }) {
  const { t } = useI18n();
  const message = useToast();
  const navigate = useNavigate();
  const { data: user, isLoading } = useMe();
  const logout = useLogout();
  if (isLoading) return null;
  if (user === null || user === undefined) {
    return (
      <Space orientation={vertical ? 'vertical' : 'horizontal'} style={vertical ? { width: '100%' } : undefined}>
        <Link to="/register" onClick={onNavigate} className="header-link">
          {t('nav.registerOrganization')}
        </Link>
        <Button
          type="primary"
          href="/login"
          data-testid="login-link"
          onClick={(event) => {
            event.preventDefault();
            onNavigate?.();
            void navigate('/login');
          }}
        >
          {t('nav.login')}
        </Button>
      </Space>
    );
  }
  return (
    <Space orientation={vertical ? 'vertical' : 'horizontal'} style={vertical ? { width: '100%' } : undefined}>
      <Link
        to="/account"
        className="header-user"
        data-testid="current-user"
        title={t('account.linkTitle', { email: user.email })}
        onClick={onNavigate}
      >
        {user.name}
      </Link>
      <Button
        data-testid="logout-button"
        loading={logout.isPending}
        onClick={() =>
          logout.mutate(undefined, {
            onSettled: () => {
              onNavigate?.();
              void message.success(t('auth.loggedOut'));
              void navigate('/');
            },
          })
        }
      >
        {t('nav.logout')}
      </Button>
    </Space>
  );
}

/**
 * On the administrator's pages, from 1 November while next year's holiday notice is not loaded
 * (or at once when this year's is missing): every deadline reaching that year is provisional.
 */
function CalendarBanner() {
  const { t } = useI18n();
  const location = useLocation();
  const { data: user } = useMe();
  const isAdminPage = location.pathname.startsWith('/admin') && hasAnyRole(user, ['regulator_admin']);
  const status = useCalendarStatus(isAdminPage);
  const missingYear = status.data?.missingYear ?? null;
  if (!isAdminPage || missingYear === null || location.pathname === '/admin/calendar') return null;
  return (
    <Alert
      type="warning"
      showIcon
      banner
      data-testid="calendar-banner"
      title={t('calendar.missingTitle', { year: missingYear })}
      description={t('calendar.missingBody', { year: missingYear, count: status.data?.provisionalDeadlines ?? 0 })}
      action={<Link to="/admin/calendar">{t('calendar.bannerLink')}</Link>}
      style={{ marginBottom: 16 }}
    />
  );
}

export function Layout() {
  const { t, isEn } = useI18n();
  const location = useLocation();
  const entries = useNavigation();
  const [menuOpen, setMenuOpen] = useState(false);
  const selected = selectedKey(location.pathname, entries);

  // A new page: close the phone menu and start reading at the top.
  useEffect(() => {
    setMenuOpen(false);
    window.scrollTo(0, 0);
  }, [location.pathname]);

  return (
    <div className="app-shell">
      <a href="#main" className="skip-link">
        {t('nav.skipToContent')}
      </a>
      <header className="app-header">
        <Link to="/" className="brand" aria-label={t('app.title')}>
          <LogoMark />
          <span className="brand-text" lang={isEn ? 'en' : 'zh-CN'}>
            {t('app.title')}
          </span>
        </Link>
        <nav className="nav-desktop" aria-label={t('nav.main')}>
          <Menu
            mode="horizontal"
            selectedKeys={selected}
            items={toMenuItems(entries)}
            // No overflow menu: rc-overflow keeps aria-hidden yet focusable copies of the items
            // (axe aria-hidden-focus); below 960 px the drawer menu takes over, and a long menu wraps.
            disabledOverflow
            style={{ borderBottom: 'none', minWidth: 0, flex: 1 }}
          />
        </nav>
        <div className="header-actions">
          <LanguageSwitch />
          <div className="nav-desktop-actions">
            <Account />
          </div>
          <Button
            className="nav-mobile-button"
            icon={<MenuOutlined aria-hidden="true" />}
            aria-label={t('nav.openMenu')}
            aria-expanded={menuOpen}
            aria-controls="mobile-menu"
            data-testid="mobile-menu-button"
            onClick={() => setMenuOpen(true)}
          />
        </div>
      </header>
      <Drawer
        id="mobile-menu"
        title={t('nav.menu')}
        placement="right"
        size={300}
        open={menuOpen}
        onClose={() => setMenuOpen(false)}
      >
        <nav aria-label={t('nav.main')}>
          <Menu
            mode="inline"
            selectedKeys={selected}
            defaultOpenKeys={['review', 'admin']}
            items={toMenuItems(entries, () => setMenuOpen(false))}
            style={{ borderInlineEnd: 'none' }}
          />
        </nav>
        <div style={{ marginTop: 16 }}>
          <Account vertical onNavigate={() => setMenuOpen(false)} />
        </div>
      </Drawer>
      <main id="main" className="app-main" tabIndex={-1}>
        <CalendarBanner />
        <OrganizationStatusBanner />
        <Suspense fallback={<Skeleton active paragraph={{ rows: 6 }} />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="app-footer">
        <p>{t('footer.basis')}</p>
        <p>
          <a href="/docs">{t('footer.apiDocs')}</a>
          {' · '}
          <a href="/api/v1/openapi.json">OpenAPI</a>
          {' · '}
          <Link to="/transparency">{t('nav.transparency')}</Link>
        </p>
      </footer>
    </div>
  );
}
