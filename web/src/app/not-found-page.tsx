import { ButtonLink } from '../components/button-link.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { StatusBlock } from '../components/status-block.tsx';
import { useI18n } from '../i18n/index.ts';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <>
      <PageHeading title={t('error.pageNotFound')} />
      <StatusBlock
        tone="info"
        title={t('error.pageNotFound')}
        detail={t('error.pageNotFoundDetail')}
        extra={
          <ButtonLink type="primary" to="/">
            {t('nav.home')}
          </ButtonLink>
        }
      />
    </>
  );
}
