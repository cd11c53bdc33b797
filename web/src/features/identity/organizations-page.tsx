import { Alert, Button, Card, Empty, Form, Input, Modal, Segmented, Space, Table } from 'antd';
import { Link } from 'react-router';
import { useState } from 'react';
import { applyProblemToForm, type FieldProblem } from '../../api/client.ts';
import type { Organization } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useToast } from '../../components/toast.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { StatusTag } from '../../components/status-tag.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.ts';
import { useOrganizations, useUsers, useVerifyOrganization } from './hooks.ts';

const FILTERS = ['pending', 'verified', 'rejected', 'all'] as const;

function RejectModal({ organization, onClose }: { organization: Organization | undefined; onClose: () => void }) {
  const { t, pick } = useI18n();
  const message = useToast();
  const verify = useVerifyOrganization();
  const [form] = Form.useForm<{ reason: string }>();
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  return (
    <Modal
      open={organization !== undefined}
      title={
        organization === undefined
          ? ''
          : t('organizations.rejectTitle', { name: pick(organization.name, organization.nameEn) })
      }
      onCancel={onClose}
      okText={t('organizations.reject')}
      okButtonProps={{ danger: true, htmlType: 'submit', form: 'reject-organization', loading: verify.isPending }}
      destroyOnHidden
    >
      <Form
        id="reject-organization"
        form={form}
        layout="vertical"
        onFinish={({ reason }) => {
          if (organization === undefined) return;
          verify.mutate(
            { id: organization.id, decision: 'rejected', reason: reason.trim() },
            {
              onSuccess: () => {
                void message.success(t('organizations.rejected'));
                onClose();
              },
              onError: (error) => setUnmatched(applyProblemToForm(form, error)),
            },
          );
        }}
      >
        <Form.Item
          name="reason"
          label={t('organizations.reason')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input.TextArea rows={3} maxLength={2000} data-testid="reject-reason" />
        </Form.Item>
        <ErrorAlert error={verify.error} extra={unmatched} />
      </Form>
    </Modal>
  );
}

/**
 * Filings are decided by reviewers, never by the administrator (separation of duties). On a fresh
 * install the administrator is the only account: say so where they land, with the way forward.
 */
function NoReviewerNotice() {
  const { t } = useI18n();
  const users = useUsers();
  const hasReviewer = users.data?.items.some((user) => user.roles.includes('reviewer'));
  if (users.data === undefined || hasReviewer === true) return null;
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="no-reviewer-notice"
      message={t('organizations.noReviewer')}
      description={
        <>
          {t('organizations.noReviewerDetail')} <Link to="/admin/users">{t('organizations.createReviewer')}</Link>
        </>
      }
    />
  );
}

function matches(org: Organization, query: string): boolean {
  const needle = query.trim().toLowerCase();
  if (needle === '') return true;
  return [org.name, org.nameEn ?? '', org.uscc].some((text) => text.toLowerCase().includes(needle));
}

/** Regulator admins verify organisations before they can file (only verified ones may). */
export function OrganizationsPage() {
  const { t, language, pick } = useI18n();
  const message = useToast();
  const [filter, setFilter] = useState<(typeof FILTERS)[number]>('pending');
  const [query, setQuery] = useState('');
  const organizations = useOrganizations(filter === 'all' ? undefined : filter);
  const verify = useVerifyOrganization();
  const [rejecting, setRejecting] = useState<Organization | undefined>();
  const [verifying, setVerifying] = useState<Organization | undefined>();
  const items = (organizations.data?.items ?? []).filter((org) => matches(org, query));

  return (
    <>
      <PageHeading title={t('organizations.title')} subtitle={t('organizations.subtitle')} />
      <NoReviewerNotice />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Segmented
            value={filter}
            onChange={(value) => setFilter(value)}
            options={FILTERS.map((value) => ({
              value,
              label: value === 'all' ? t('common.all') : t(`organizationStatus.${value}`),
            }))}
            aria-label={t('organizations.filter')}
          />
          <Input.Search
            allowClear
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            placeholder={t('organizations.searchPlaceholder')}
            aria-label={t('organizations.searchPlaceholder')}
            data-testid="organizations-search"
            style={{ width: 280 }}
          />
        </Space>
        <ErrorAlert error={verify.error} style={{ marginBottom: 12 }} />
        {organizations.data === undefined ? (
          <QueryState
            isLoading={organizations.isLoading}
            error={organizations.error}
            onRetry={() => void organizations.refetch()}
          />
        ) : items.length === 0 ? (
          <Empty description={t('organizations.empty')} />
        ) : (
          <Table<Organization>
            rowKey="id"
            dataSource={items}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            scroll={{ x: 860 }}
            data-testid="organizations-table"
            columns={[
              { title: t('organizations.name'), key: 'name', render: (_, org) => pick(org.name, org.nameEn) },
              {
                title: t('registration.uscc'),
                key: 'uscc',
                render: (_, org) => <span className="mono">{org.uscc}</span>,
              },
              {
                title: t('registration.orgType'),
                key: 'type',
                render: (_, org) => t(`organizationType.${org.type}`, { defaultValue: org.type }),
              },
              {
                title: t('product.status'),
                key: 'status',
                render: (_, org) => <StatusTag status={org.status} group="organizationStatus" />,
              },
              {
                title: t('common.createdAt'),
                key: 'createdAt',
                render: (_, org) => formatDateTime(org.createdAt, language),
              },
              {
                title: t('common.actions'),
                key: 'actions',
                render: (_, org) =>
                  org.status === 'pending' ? (
                    <Space>
                      <Button
                        type="primary"
                        size="small"
                        loading={verify.isPending && verify.variables?.id === org.id}
                        data-testid="verify-organization"
                        onClick={() => setVerifying(org)}
                      >
                        {t('organizations.verify')}
                      </Button>
                      <Button danger size="small" onClick={() => setRejecting(org)} data-testid="reject-organization">
                        {t('organizations.reject')}
                      </Button>
                    </Space>
                  ) : null,
              },
            ]}
          />
        )}
      </Card>
      <RejectModal organization={rejecting} onClose={() => setRejecting(undefined)} />
      <ConfirmDialog
        open={verifying !== undefined}
        title={
          verifying === undefined
            ? ''
            : t('organizations.verifyTitle', { name: pick(verifying.name, verifying.nameEn) })
        }
        body={verifying === undefined ? '' : t('organizations.verifyBody', { uscc: verifying.uscc })}
        okText={t('organizations.verify')}
        loading={verify.isPending}
        testId="confirm-verify"
        onCancel={() => setVerifying(undefined)}
        onOk={() => {
          if (verifying === undefined) return;
          verify.mutate(
            { id: verifying.id, decision: 'verified' },
            {
              onSuccess: () => {
                void message.success(t('organizations.verified'));
                setVerifying(undefined);
              },
            },
          );
        }}
      />
    </>
  );
}
