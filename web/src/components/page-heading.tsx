import { Typography } from 'antd';
import { useEffect } from 'react';
import { useI18n } from '../i18n/index.ts';

/** The page's one h1; also names the browser tab so history and screen readers can tell pages apart. */
export function PageHeading({
  title,
  extra,
  subtitle,
}: {
  title: string;
  extra?: React.ReactNode;
  subtitle?: React.ReactNode;
}) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${title} · ${t('app.title')}`;
  }, [title, t]);
  return (
    <div className="page-heading">
      <div className="page-heading-row">
        <Typography.Title level={1} className="page-title">
          {title}
        </Typography.Title>
        {extra !== undefined ? <div className="page-heading-extra">{extra}</div> : null}
      </div>
      {subtitle !== undefined ? (
        <Typography.Paragraph type="secondary" className="page-subtitle">
          {subtitle}
        </Typography.Paragraph>
      ) : null}
    </div>
  );
}
