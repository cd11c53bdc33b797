import { Button, Card, Form, Input, Radio, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { applyProblemToForm, type FieldProblem } from '../../api/client.ts';
import { ORGANIZATION_TYPES } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { StatusBlock } from '../../components/status-block.tsx';
import { useI18n } from '../../i18n/index.ts';
// Shared with the server: the same GB 32100-2015 check and NIST 800-63B length floor (pure code, no I/O).
import { PASSWORD_MIN_LENGTH } from '../../../../src/lib/password-policy.ts';
import { validateUscc } from '../../../../src/lib/uscc.ts';
import { useRegisterOrganization, type RegistrationInput } from './hooks.ts';

interface RegistrationValues extends RegistrationInput {
  confirmPassword: string;
}

/** An organisation signs up with its unified social credit code; a regulator admin verifies it before it can file. */
export function RegistrationPage() {
  const { t } = useI18n();
  const [form] = Form.useForm<RegistrationValues>();
  const register = useRegisterOrganization();
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);

  if (register.data !== undefined) {
    return (
      <>
        <PageHeading title={t('registration.title')} />
        <StatusBlock
          tone="success"
          title={t('registration.doneTitle')}
          // Identical for a new address and one that already has an account (the API answers both
          // alike, no enumeration): the mail sent to the address tells its owner which case it was.
          detail={t('registration.doneText', { email: register.variables?.admin.email ?? '' })}
          extra={<Link to="/login">{t('nav.login')}</Link>}
          testId="registration-done"
        />
      </>
    );
  }

  const submit = (values: RegistrationValues) => {
    const input: RegistrationInput = {
      organization: {
        name: values.organization.name.trim(),
        uscc: values.organization.uscc.trim().toUpperCase(),
        type: values.organization.type,
        ...(values.organization.nameEn?.trim() ? { nameEn: values.organization.nameEn.trim() } : {}),
      },
      admin: { email: values.admin.email.trim(), name: values.admin.name.trim(), password: values.admin.password },
    };
    register.mutate(input, { onError: (error) => setUnmatched(applyProblemToForm(form, error)) });
  };

  return (
    <div style={{ maxWidth: 720, margin: '0 auto' }}>
      <PageHeading title={t('registration.title')} subtitle={t('registration.subtitle')} />
      <Card>
        <Form<RegistrationValues>
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ organization: { type: 'enterprise' } }}
          scrollToFirstError={{ focus: true, block: 'center' }}
          data-testid="registration-form"
        >
          <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }}>
            {t('registration.organizationHeading')}
          </Typography.Title>
          <Form.Item
            name={['organization', 'name']}
            label={t('registration.orgName')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input autoComplete="organization" maxLength={200} />
          </Form.Item>
          <Form.Item name={['organization', 'nameEn']} label={t('registration.orgNameEn')}>
            <Input lang="en" maxLength={200} />
          </Form.Item>
          <Form.Item
            name={['organization', 'uscc']}
            label={t('registration.uscc')}
            extra={t('registration.usccHelp')}
            validateTrigger="onBlur"
            rules={[
              { required: true, message: t('validation.required') },
              {
                validator: async (_rule, value: string | undefined) => {
                  if (value === undefined || value.trim() === '') return;
                  const result = validateUscc(value);
                  if (!result.valid) throw new Error(t(`registration.usccInvalid.${result.reason}`));
                },
              },
            ]}
          >
            <Input className="mono" maxLength={18} style={{ maxWidth: 280 }} data-testid="registration-uscc" />
          </Form.Item>
          <Form.Item name={['organization', 'type']} label={t('registration.orgType')} rules={[{ required: true }]}>
            <Radio.Group
              options={ORGANIZATION_TYPES.map((type) => ({ value: type, label: t(`organizationType.${type}`) }))}
            />
          </Form.Item>

          <Typography.Title level={2} style={{ fontSize: 18 }}>
            {t('registration.adminHeading')}
          </Typography.Title>
          <Form.Item
            name={['admin', 'name']}
            label={t('registration.adminName')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input autoComplete="name" />
          </Form.Item>
          <Form.Item
            name={['admin', 'email']}
            label={t('auth.email')}
            rules={[
              { required: true, message: t('validation.required') },
              { type: 'email', message: t('validation.email') },
            ]}
          >
            <Input type="email" autoComplete="email" />
          </Form.Item>
          <Form.Item
            name={['admin', 'password']}
            label={t('auth.password')}
            extra={t('registration.passwordHelp', { min: PASSWORD_MIN_LENGTH })}
            rules={[
              { required: true, message: t('validation.required') },
              { min: PASSWORD_MIN_LENGTH, message: t('validation.passwordMin', { min: PASSWORD_MIN_LENGTH }) },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirmPassword"
            label={t('registration.confirmPassword')}
            dependencies={[['admin', 'password']]}
            rules={[
              { required: true, message: t('validation.required') },
              ({ getFieldValue }) => ({
                validator: async (_rule, value: string | undefined) => {
                  if (value !== undefined && value !== getFieldValue(['admin', 'password'])) {
                    throw new Error(t('validation.passwordMismatch'));
                  }
                },
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <ErrorAlert error={register.error} extra={unmatched} style={{ marginBottom: 16 }} />
          <Button type="primary" htmlType="submit" loading={register.isPending} data-testid="registration-submit">
            {t('registration.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
