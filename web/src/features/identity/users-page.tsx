import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Empty, Form, Input, Modal, Table, Tag } from 'antd';
import { useState } from 'react';
import { applyProblemToForm, type FieldProblem } from '../../api/client.ts';
import { REGULATOR_ROLES, type RequestBodyOf, type User } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useToast } from '../../components/toast.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { useI18n } from '../../i18n/index.ts';
import { PASSWORD_MIN_LENGTH } from '../../../../src/lib/password-policy.ts';
import { useCreateUser, useUsers } from './hooks.ts';

type StaffValues = RequestBodyOf<'postUsers'>;

function CreateStaffModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const message = useToast();
  const create = useCreateUser();
  const [form] = Form.useForm<StaffValues>();
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  return (
    <Modal
      open={open}
      title={t('users.createTitle')}
      onCancel={onClose}
      okText={t('users.create')}
      okButtonProps={{ htmlType: 'submit', form: 'create-staff', loading: create.isPending }}
      destroyOnHidden
      width={600}
    >
      <Form<StaffValues>
        id="create-staff"
        form={form}
        layout="vertical"
        initialValues={{ roles: ['reviewer'] }}
        onFinish={(values) =>
          create.mutate(
            { email: values.email.trim(), name: values.name.trim(), roles: values.roles, password: values.password },
            {
              onSuccess: () => {
                void message.success(t('users.created'));
                onClose();
              },
              onError: (error) => setUnmatched(applyProblemToForm(form, error)),
            },
          )
        }
      >
        <Form.Item
          name="name"
          label={t('users.name')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('auth.email')}
          rules={[
            { required: true, message: t('validation.required') },
            { type: 'email', message: t('validation.email') },
          ]}
        >
          <Input type="email" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="roles"
          label={t('users.roles')}
          rules={[{ required: true, type: 'array', min: 1, message: t('users.rolesRequired') }]}
        >
          <Checkbox.Group options={REGULATOR_ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }))} />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('users.initialPassword')}
          extra={t('registration.passwordHelp', { min: PASSWORD_MIN_LENGTH })}
          rules={[
            { required: true, message: t('validation.required') },
            { min: PASSWORD_MIN_LENGTH, message: t('validation.passwordMin', { min: PASSWORD_MIN_LENGTH }) },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <ErrorAlert error={create.error} extra={unmatched} />
      </Form>
    </Modal>
  );
}

/** Regulator staff accounts: reviewers, committee members, stewards and the rest. */
export function UsersPage() {
  const { t } = useI18n();
  const users = useUsers();
  const [creating, setCreating] = useState(false);
  const items = users.data?.items ?? [];
  return (
    <>
      <PageHeading
        title={t('users.title')}
        subtitle={t('users.subtitle')}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined aria-hidden="true" />}
            onClick={() => setCreating(true)}
            data-testid="create-user"
          >
            {t('users.createTitle')}
          </Button>
        }
      />
      <Card>
        {users.data === undefined ? (
          <QueryState isLoading={users.isLoading} error={users.error} onRetry={() => void users.refetch()} />
        ) : items.length === 0 ? (
          <Empty />
        ) : (
          <Table<User>
            rowKey="id"
            dataSource={items}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            scroll={{ x: 720 }}
            columns={[
              { title: t('users.name'), dataIndex: 'name', key: 'name' },
              { title: t('auth.email'), dataIndex: 'email', key: 'email' },
              {
                title: t('users.roles'),
                key: 'roles',
                render: (_, user) =>
                  user.roles.map((role) => <Tag key={role}>{t(`role.${role}`, { defaultValue: role })}</Tag>),
              },
              {
                title: t('users.organization'),
                key: 'organizationId',
                render: (_, user) =>
                  user.organizationId === null ? (
                    t('users.regulatorStaff')
                  ) : (
                    <span className="mono">{user.organizationId}</span>
                  ),
              },
            ]}
          />
        )}
      </Card>
      <CreateStaffModal open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
