import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Space,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { applyProblemToForm, type FieldProblem } from '../../api/client.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { useToast } from '../../components/toast.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.ts';
import { useMe } from '../identity/hooks.ts';
import {
  useApiTokens,
  useChangePassword,
  useCreateApiToken,
  useRevokeApiToken,
  type ApiToken,
  type CreatedApiToken,
} from './hooks.ts';
import { NewPasswordFields } from './password-fields.tsx';

function ChangePasswordCard() {
  const { t } = useI18n();
  const toast = useToast();
  const navigate = useNavigate();
  const [form] = Form.useForm<{ currentPassword: string; newPassword: string; confirmPassword: string }>();
  const change = useChangePassword();
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  return (
    <Card title={<h2 className="card-heading">{t('account.changePassword')}</h2>}>
      <Typography.Paragraph type="secondary">{t('account.changePasswordHelp')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        style={{ maxWidth: 420 }}
        data-testid="change-password-form"
        onFinish={(values) =>
          change.mutate(
            { currentPassword: values.currentPassword, newPassword: values.newPassword },
            {
              onSuccess: () => {
                void toast.success(t('account.passwordChanged'));
                void navigate('/login', { replace: true });
              },
              onError: (error) => setUnmatched(applyProblemToForm(form, error)),
            },
          )
        }
      >
        <Form.Item
          name="currentPassword"
          label={t('account.currentPassword')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Input.Password autoComplete="current-password" data-testid="current-password" />
        </Form.Item>
        <NewPasswordFields />
        <ErrorAlert error={change.error} extra={unmatched} style={{ marginBottom: 16 }} />
        <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="change-password-submit">
          {t('account.changePassword')}
        </Button>
      </Form>
    </Card>
  );
}

function ApiTokensCard() {
  const { t, language } = useI18n();
  const toast = useToast();
  const tokens = useApiTokens();
  const create = useCreateApiToken();
  const revoke = useRevokeApiToken();
  const [form] = Form.useForm<{ name: string; expiresInDays?: number }>();
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [created, setCreated] = useState<CreatedApiToken | undefined>(undefined);
  return (
    <Card title={<h2 className="card-heading">{t('account.apiTokens')}</h2>}>
      <Typography.Paragraph type="secondary">{t('account.apiTokensHelp')}</Typography.Paragraph>
      <Form
        form={form}
        layout="inline"
        requiredMark={false}
        data-testid="token-form"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(values) =>
          create.mutate(
            {
              name: values.name.trim(),
              ...(values.expiresInDays === undefined ? {} : { expiresInDays: values.expiresInDays }),
            },
            {
              onSuccess: (token) => {
                setCreated(token);
                form.resetFields();
              },
              onError: (error) => setUnmatched(applyProblemToForm(form, error)),
            },
          )
        }
      >
        <Form.Item
          name="name"
          label={t('account.tokenName')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input maxLength={100} data-testid="token-name" />
        </Form.Item>
        <Form.Item name="expiresInDays" label={t('account.tokenExpiresInDays')}>
          <InputNumber min={1} max={366} precision={0} placeholder="90" data-testid="token-days" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="token-create">
          {t('account.createToken')}
        </Button>
      </Form>
      <ErrorAlert error={create.error} extra={unmatched} style={{ marginBottom: 16 }} />
      {tokens.data === undefined ? (
        <QueryState isLoading={tokens.isLoading} error={tokens.error} />
      ) : (
        <Table<ApiToken>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={tokens.data.items}
          data-testid="token-table"
          locale={{ emptyText: t('account.noTokens') }}
          columns={[
            { title: t('account.tokenName'), key: 'name', dataIndex: 'name' },
            {
              title: t('account.createdAt'),
              key: 'createdAt',
              render: (_, token) => formatDateTime(token.createdAt, language),
            },
            {
              title: t('account.expiresAt'),
              key: 'expiresAt',
              render: (_, token) =>
                token.expiresAt === null ? t('account.never') : formatDateTime(token.expiresAt, language),
            },
            {
              title: t('account.lastUsedAt'),
              key: 'lastUsedAt',
              render: (_, token) => (token.lastUsedAt === null ? '—' : formatDateTime(token.lastUsedAt, language)),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, token) => (
                <Popconfirm
                  title={t('account.revokeConfirm', { name: token.name })}
                  okText={t('account.revoke')}
                  cancelText={t('action.cancel')}
                  okButtonProps={{ danger: true }}
                  onConfirm={() =>
                    revoke.mutate(token.id, {
                      onSuccess: () => void toast.success(t('account.revoked', { name: token.name })),
                    })
                  }
                >
                  <Button danger size="small" data-testid="token-revoke">
                    {t('account.revoke')}
                  </Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      )}
      <Modal
        open={created !== undefined}
        title={t('account.tokenCreated')}
        onOk={() => setCreated(undefined)}
        onCancel={() => setCreated(undefined)}
        okText={t('account.tokenSaved')}
        cancelButtonProps={{ style: { display: 'none' } }}
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Alert type="warning" showIcon title={t('account.tokenShownOnce')} />
          <Typography.Paragraph
            copyable={{ text: created?.token ?? '' }}
            data-testid="token-secret"
            style={{ wordBreak: 'break-all' }}
          >
            <code>{created?.token}</code>
          </Typography.Paragraph>
          <Typography.Text type="secondary">{t('account.tokenUsage')}</Typography.Text>
        </Space>
      </Modal>
    </Card>
  );
}

/** The signed-in user's own account: who they are, their password, their personal API tokens. */
export function AccountPage() {
  const { t } = useI18n();
  const { data: user } = useMe();
  if (user === null || user === undefined) return null;
  return (
    <>
      <PageHeading title={t('account.title')} subtitle={t('account.subtitle')} />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card>
          <Descriptions
            column={1}
            items={[
              { key: 'name', label: t('account.name'), children: user.name },
              { key: 'email', label: t('auth.email'), children: user.email },
              {
                key: 'roles',
                label: t('account.roles'),
                children: user.roles.map((role) => t(`role.${role}`, { defaultValue: role })).join('、'),
              },
            ]}
          />
        </Card>
        <ChangePasswordCard />
        <ApiTokensCard />
      </Space>
    </>
  );
}
