import { Card, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import { PageHeading } from '../../components/page-heading.tsx';
import { useI18n } from '../../i18n/index.ts';
import { hasAnyRole, useMe } from '../identity/hooks.ts';
import { ResultList } from './result-list.tsx';
import { SearchForm } from './search-form.tsx';
import { searchToPath } from './search-params.ts';

/** The public front door: search the register, self-check a product, verify the log. */
export function HomePage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { data: user } = useMe();
  const isProvider = hasAnyRole(user, ['org_admin', 'org_member']);
  return (
    <>
      <section className="hero">
        <PageHeading title={t('home.title')} />
        <p className="hero-lead">{t('home.lead')}</p>
        <SearchForm initial={{}} onSearch={(search) => void navigate(searchToPath(search))} />
      </section>

      <div className="stat-grid" style={{ marginBottom: 24 }}>
        <Card title={<h2 className="card-heading">{t('home.selfCheckTitle')}</h2>}>
          <Typography.Paragraph>{t('home.selfCheckText')}</Typography.Paragraph>
          <Link to="/self-check">{t('home.selfCheckLink')}</Link>
        </Card>
        <Card title={<h2 className="card-heading">{t('home.transparencyTitle')}</h2>}>
          <Typography.Paragraph>{t('home.transparencyText')}</Typography.Paragraph>
          <Link to="/transparency">{t('home.transparencyLink')}</Link>
        </Card>
        <Card title={<h2 className="card-heading">{t('home.providerTitle')}</h2>}>
          <Typography.Paragraph>{t('home.providerText')}</Typography.Paragraph>
          {isProvider ? (
            <Link to="/provider">{t('home.providerDashboardLink')}</Link>
          ) : (
            <Link to="/register">{t('home.providerLink')}</Link>
          )}
        </Card>
      </div>

      <Typography.Title level={2} style={{ fontSize: 20 }}>
        {t('home.recent')}
      </Typography.Title>
      <ResultList search={{}} showCount={false} />
    </>
  );
}
