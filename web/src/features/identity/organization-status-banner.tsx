import { Alert } from 'antd';
import { useI18n } from '../../i18n/index.ts';
import { useMyOrganization } from './hooks.ts';

/**
 * On every page a provider sees while the regulator has not verified their organisation: what
 * they can do now (the self-check, reading the register) and what waits for verification.
 */
export function OrganizationStatusBanner() {
  const { t, pick } = useI18n();
  const organization = useMyOrganization();
  const org = organization.data;
  if (org === undefined || org.status === 'verified') return null;
  const name = pick(org.name, org.nameEn);
  return (
    <Alert
      type={org.status === 'rejected' ? 'error' : 'info'}
      showIcon
      banner
      data-testid="organization-status-banner"
      data-status={org.status}
      title={t(`organizationBanner.${org.status}Title`, { name })}
      description={
        org.status === 'rejected' && org.statusReason !== null
          ? t('organizationBanner.rejectedBody', { reason: org.statusReason })
          : t('organizationBanner.pendingBody')
      }
      style={{ marginBottom: 16 }}
    />
  );
}
