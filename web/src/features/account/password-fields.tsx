import { Form, Input } from 'antd';
import { useI18n } from '../../i18n/index.ts';

/** A new password twice; the server checks its length and the common-password list (NIST SP 800-63B). */
export function NewPasswordFields() {
  const { t } = useI18n();
  return (
    <>
      <Form.Item
        name="newPassword"
        label={t('account.newPassword')}
        extra={t('account.passwordRules')}
        rules={[
          { required: true, message: t('validation.required') },
          { min: 12, message: t('account.passwordTooShort') },
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="new-password" />
      </Form.Item>
      <Form.Item
        name="confirmPassword"
        label={t('account.confirmPassword')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('validation.required') },
          ({ getFieldValue }) => ({
            validator: (_rule, value: string | undefined) =>
              value === undefined || value === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error(t('account.passwordsDiffer'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="confirm-password" />
      </Form.Item>
    </>
  );
}
