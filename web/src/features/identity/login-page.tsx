import { Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { applyProblemToForm, type FieldProblem } from '../../api/client.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { useI18n } from '../../i18n/index.ts';
import { useLogin } from './hooks.ts';
import { landingPath, safeNextPath } from './landing.ts';

export function LoginPage() {
  const { t } = useI18n();
  const [form] = Form.useForm<{ email: string; password: string }>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const login = useLogin();
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);

  return (
    <div style={{ maxWidth: 440, margin: '0 auto' }}>
      <PageHeading title={t('auth.loginTitle')} subtitle={t('auth.loginSubtitle')} />
      <Card>
        <Form
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={(values) =>
            login.mutate(
              { email: values.email.trim(), password: values.password },
              {
                onSuccess: (result) =>
                  void navigate(safeNextPath(params.get('next')) ?? landingPath(result.user), { replace: true }),
                onError: (error) => setUnmatched(applyProblemToForm(form, error)),
              },
            )
          }
          data-testid="login-form"
        >
          <Form.Item
            name="email"
            label={t('auth.email')}
            rules={[
              { required: true, message: t('validation.required') },
              { type: 'email', message: t('validation.email') },
            ]}
          >
            <Input type="email" autoComplete="username" data-testid="login-email" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('auth.password')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <Input.Password autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <ErrorAlert error={login.error} extra={unmatched} style={{ marginBottom: 16 }} />
          <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit">
            {t('auth.login')}
          </Button>
        </Form>
        <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
          <Link to="/forgot-password" data-testid="forgot-link">
            {t('account.forgotLink')}
          </Link>
        </Typography.Paragraph>
        <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }}>
          {t('auth.noAccount')} <Link to="/register">{t('nav.registerOrganization')}</Link>
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
