import { Badge, Card, Empty, Typography } from 'antd';
import { Link } from 'react-router';
import { QueryState } from '../../components/query-state.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.ts';
import { useMarkNotificationRead, useNotifications } from './hooks.ts';

/** Links inside the app stay in the app; anything else is shown as text, never followed blindly. */
function isInternalLink(link: string | null): link is string {
  return link !== null && link.startsWith('/') && !link.startsWith('//');
}

export function NotificationsCard() {
  const { t, language, pick } = useI18n();
  const notifications = useNotifications();
  const markRead = useMarkNotificationRead();
  const data = notifications.data;
  const unread = data?.items.filter((item) => item.readAt === null).length ?? 0;
  return (
    <Card
      title={
        <h2 className="card-heading">
          {t('notifications.title')}{' '}
          {unread > 0 ? <Badge count={unread} aria-label={t('notifications.unread', { count: unread })} /> : null}
        </h2>
      }
      data-testid="notifications"
    >
      {data === undefined ? (
        <QueryState isLoading={notifications.isLoading} error={notifications.error} rows={2} />
      ) : !data.available ? (
        <Typography.Text type="secondary">{t('notifications.unavailable')}</Typography.Text>
      ) : data.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} />
      ) : (
        <ul className="plain-list">
          {data.items.map((item) => {
            const title = pick(item.titleZh, item.titleEn);
            return (
              <li key={item.id} style={{ fontWeight: item.readAt === null ? 600 : 400 }}>
                {isInternalLink(item.link) ? (
                  <Link to={item.link} onClick={() => item.readAt === null && markRead.mutate(item.id)}>
                    {title}
                  </Link>
                ) : (
                  title
                )}
                <div style={{ color: '#6b7280', fontSize: 12, fontWeight: 400 }}>
                  {formatDateTime(item.createdAt, language)}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
