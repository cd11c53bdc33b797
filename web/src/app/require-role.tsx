import { Skeleton } from 'antd';
import { Navigate, useLocation } from 'react-router';
import { useI18n } from '../i18n/index.ts';
import { hasAnyRole, useMe } from '../features/identity/hooks.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { StatusBlock } from '../components/status-block.tsx';

/**
 * Shows staff and provider pages only to users with one of the roles; anonymous visitors go
 * to the login page and come back. The server enforces the same rules — this is only for UX.
 */
export function RequireRole({ roles, children }: { roles: readonly string[]; children: React.ReactNode }) {
  const { t } = useI18n();
  const location = useLocation();
  const me = useMe();
  if (me.isLoading) return <Skeleton active />;
  if (me.error !== null) return <ErrorAlert error={me.error} />;
  if (me.data === null || me.data === undefined) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (!hasAnyRole(me.data, roles)) {
    return (
      <>
        <PageHeading title={t('error.forbidden')} />
        <StatusBlock tone="warning" title={t('error.forbidden')} detail={t('error.forbiddenDetail')} />
      </>
    );
  }
  return <>{children}</>;
}
