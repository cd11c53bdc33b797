import { Alert, Button, Card, Form, Input } from 'antd';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { useI18n } from '../../i18n/index.ts';
import { useRequestPasswordReset } from './hooks.ts';

/** Asks for a reset link. The answer is the same whether or not the address has an account. */
export function ForgotPasswordPage() {
  const { t } = useI18n();
  const request = useRequestPasswordReset();
  return (
    <div style={{ maxWidth: 440, margin: '0 auto' }}>
      <PageHeading title={t('account.forgotTitle')} subtitle={t('account.forgotSubtitle')} />
      <Card>
        {request.isSuccess ? (
          <Alert type="success" showIcon title={t('account.resetRequested')} data-testid="reset-requested" />
        ) : (
          <Form
            layout="vertical"
            requiredMark={false}
            data-testid="forgot-form"
            onFinish={(values: { email: string }) => request.mutate({ email: values.email.trim() })}
          >
            <Form.Item
              name="email"
              label={t('auth.email')}
              rules={[
                { required: true, message: t('validation.required') },
                { type: 'email', message: t('validation.email') },
              ]}
            >
              <Input type="email" autoComplete="username" data-testid="forgot-email" />
            </Form.Item>
            <ErrorAlert error={request.error} style={{ marginBottom: 16 }} />
            <Button type="primary" htmlType="submit" block loading={request.isPending} data-testid="forgot-submit">
              {t('account.sendResetLink')}
            </Button>
          </Form>
        )}
        <p style={{ marginTop: 16, marginBottom: 0 }}>
          <Link to="/login">{t('account.backToLogin')}</Link>
        </p>
      </Card>
    </div>
  );
}
