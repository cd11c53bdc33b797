import { Button, Skeleton } from 'antd';
import { isApiError } from '../api/client.ts';
import { useI18n } from '../i18n/index.ts';
import { ErrorAlert } from './error-alert.tsx';
import { StatusBlock } from './status-block.tsx';

/**
 * Loading and error states of a query, shown the same way on every page. A 404 from an
 * endpoint that is not deployed yet reads as "not available", not as a crash.
 */
export function QueryState({
  isLoading,
  error,
  onRetry,
  notFoundTitle,
  notFoundStatuses = [404],
  rows = 4,
}: {
  isLoading: boolean;
  error: unknown;
  onRetry?: () => void;
  notFoundTitle?: string;
  /** Statuses that mean "nothing here" rather than "something broke". */
  notFoundStatuses?: number[];
  rows?: number;
}) {
  const { t } = useI18n();
  if (isLoading) return <Skeleton active paragraph={{ rows }} />;
  if (error === null || error === undefined) return null;
  if (isApiError(error) && notFoundStatuses.includes(error.status)) {
    return <StatusBlock tone="info" title={notFoundTitle ?? t('error.notFound')} detail={error.detail} />;
  }
  if (isApiError(error) && error.status === 403) {
    return <StatusBlock tone="warning" title={t('error.forbidden')} detail={error.detail} />;
  }
  return (
    <div>
      <ErrorAlert error={error} />
      {onRetry !== undefined ? (
        <Button style={{ marginTop: 12 }} onClick={onRetry}>
          {t('action.retry')}
        </Button>
      ) : null}
    </div>
  );
}
