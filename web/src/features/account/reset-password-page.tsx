import { Alert, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { applyProblemToForm, type FieldProblem } from '../../api/client.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { useI18n } from '../../i18n/index.ts';
import { useResetPassword } from './hooks.ts';
import { NewPasswordFields } from './password-fields.tsx';

/** The reset link carries its token in the fragment (`#token=…`): never sent to a server, never in a log. */
function tokenFromFragment(): string {
  return new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') ?? '';
}

/** Sets a new password with the token from the reset mail; every session and API token is revoked. */
export function ResetPasswordPage() {
  const { t } = useI18n();
  const reset = useResetPassword();
  const [form] = Form.useForm<{ token: string; newPassword: string; confirmPassword: string }>();
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  return (
    <div style={{ maxWidth: 440, margin: '0 auto' }}>
      <PageHeading title={t('account.resetTitle')} subtitle={t('account.resetSubtitle')} />
      <Card>
        {reset.isSuccess ? (
          <Alert
            type="success"
            showIcon
            data-testid="reset-done"
            title={t('account.resetDone')}
            description={<Link to="/login">{t('auth.login')}</Link>}
          />
        ) : (
          <Form
            form={form}
            layout="vertical"
            requiredMark={false}
            initialValues={{ token: tokenFromFragment() }}
            data-testid="reset-form"
            onFinish={(values) =>
              reset.mutate(
                { token: values.token.trim(), newPassword: values.newPassword },
                { onError: (error) => setUnmatched(applyProblemToForm(form, error)) },
              )
            }
          >
            <Form.Item
              name="token"
              label={t('account.resetToken')}
              extra={t('account.resetTokenHelp')}
              rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
            >
              <Input autoComplete="one-time-code" data-testid="reset-token" />
            </Form.Item>
            <NewPasswordFields />
            <ErrorAlert error={reset.error} extra={unmatched} style={{ marginBottom: 16 }} />
            <Button type="primary" htmlType="submit" block loading={reset.isPending} data-testid="reset-submit">
              {t('account.setPassword')}
            </Button>
          </Form>
        )}
      </Card>
    </div>
  );
}
