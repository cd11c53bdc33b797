import { UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import { OPEN_STATUSES } from '@domain/filings.ts';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { applyProblemToForm, isApiError, type FieldProblem } from '../../api/client.ts';
import {
  DECISION_OUTCOMES,
  DOCUMENT_ACCEPT,
  DOCUMENT_TYPES,
  MAX_DOCUMENT_BYTES,
  ORGANIZATION_ROLES,
  type DecisionOutcome,
  type Filing,
  type FilingDocument,
  type InformationRequest,
} from '../../api/types.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { DueDate } from '../../components/due-date.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useToast } from '../../components/toast.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { StatusTag } from '../../components/status-tag.tsx';
import { TierTag } from '../../components/tier-tag.tsx';
import { formatBytes, formatDateTime } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.ts';
import { FilingEthicsNotice } from '../ethics/filing-ethics-notice.tsx';
import { hasAnyRole, useMe } from '../identity/hooks.ts';
import { ReviewContext } from './review-context.tsx';
import {
  useClaimFiling,
  useDecideFiling,
  useFiling,
  useRequestInformation,
  useRespondToInformationRequest,
  useSubmitFiling,
  useRemoveDocument,
  useUpdateFiling,
  useUploadDocument,
  useWithdrawFiling,
} from './hooks.ts';

const EDITABLE_BY_PROVIDER = new Set(['draft', 'information_requested']);

function DocumentUpload({ filingId }: { filingId: string }) {
  const { t } = useI18n();
  const message = useToast();
  const upload = useUploadDocument(filingId);
  const [form] = Form.useForm<{ documentType: string }>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const file = files[0]?.originFileObj;

  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ documentType: 'risk_assessment_report' }}
      onFinish={({ documentType }) => {
        if (file === undefined) return;
        upload.mutate(
          { file, documentType },
          {
            onSuccess: () => {
              setFiles([]);
              void message.success(t('filing.uploaded'));
            },
            onError: (error) => setUnmatched(applyProblemToForm(form, error)),
          },
        );
      }}
      data-testid="document-upload"
    >
      <Space wrap align="start">
        <Form.Item name="documentType" label={t('filing.documentType')} rules={[{ required: true }]}>
          <Select
            style={{ width: 240 }}
            options={DOCUMENT_TYPES.map((type) => ({ value: type, label: t(`documentType.${type}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('filing.file')} extra={t('filing.fileHelp')} required>
          <Upload
            accept={DOCUMENT_ACCEPT}
            maxCount={1}
            fileList={files}
            beforeUpload={(selected) => {
              if (selected.size > MAX_DOCUMENT_BYTES) {
                void message.error(t('filing.fileTooLarge'));
                return Upload.LIST_IGNORE;
              }
              // Keep the file; it is sent with the document type when the user presses Upload.
              return false;
            }}
            onChange={({ fileList }) => setFiles(fileList.slice(-1))}
          >
            <Button icon={<UploadOutlined aria-hidden="true" />}>{t('filing.chooseFile')}</Button>
          </Upload>
        </Form.Item>
      </Space>
      <ErrorAlert error={upload.error} extra={unmatched} style={{ marginBottom: 12 }} />
      <div>
        <Button
          type="primary"
          htmlType="submit"
          disabled={file === undefined}
          loading={upload.isPending}
          data-testid="upload-submit"
        >
          {t('filing.upload')}
        </Button>
      </div>
    </Form>
  );
}

function DocumentsTable({
  filingId,
  documents,
  isRemovable,
}: {
  filingId: string;
  documents: FilingDocument[];
  /** Whether the provider may still take the document back (not submitted yet). */
  isRemovable: (document: FilingDocument) => boolean;
}) {
  const { t, language } = useI18n();
  const message = useToast();
  const remove = useRemoveDocument(filingId);
  if (documents.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('filing.noDocuments')} />;
  return (
    <Table<FilingDocument>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={documents}
      scroll={{ x: 640 }}
      data-testid="filing-documents"
      columns={[
        {
          title: t('filing.file'),
          key: 'fileName',
          render: (_, document) => (
            <a href={`/api/v1/documents/${encodeURIComponent(document.id)}`}>{document.fileName}</a>
          ),
        },
        {
          title: t('filing.documentType'),
          key: 'documentType',
          render: (_, document) => t(`documentType.${document.documentType}`, { defaultValue: document.documentType }),
        },
        { title: t('filing.size'), key: 'size', render: (_, document) => formatBytes(document.size, language) },
        {
          title: 'SHA-256',
          key: 'sha256',
          render: (_, document) => (
            <Typography.Text className="mono" copyable={{ text: document.sha256 }} style={{ fontSize: 12 }}>
              {document.sha256.slice(0, 16)}…
            </Typography.Text>
          ),
        },
        {
          title: t('common.actions'),
          key: 'actions',
          render: (_, document) =>
            isRemovable(document) ? (
              <Popconfirm
                title={t('filing.removeDocumentConfirm', { name: document.fileName })}
                okText={t('filing.removeDocument')}
                cancelText={t('action.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() =>
                  remove.mutate(document.id, {
                    onSuccess: () => void message.success(t('filing.documentRemoved', { name: document.fileName })),
                    onError: () => void message.error(t('filing.documentNotRemoved')),
                  })
                }
              >
                <Button size="small" danger data-testid="remove-document">
                  {t('filing.removeDocument')}
                </Button>
              </Popconfirm>
            ) : null,
        },
      ]}
    />
  );
}

function MessageForm({
  label,
  submitLabel,
  onSubmit,
  pending,
  error,
  testId,
}: {
  label: string;
  submitLabel: string;
  onSubmit: (message: string, done: () => void, fail: (error: unknown) => void) => void;
  pending: boolean;
  error: unknown;
  testId: string;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ message: string }>();
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={({ message }) =>
        onSubmit(
          message.trim(),
          () => form.resetFields(),
          (failure) => setUnmatched(applyProblemToForm(form, failure)),
        )
      }
      data-testid={testId}
    >
      <Form.Item
        name="message"
        label={label}
        rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
      >
        <Input.TextArea rows={3} maxLength={8000} />
      </Form.Item>
      <ErrorAlert error={error} extra={unmatched} style={{ marginBottom: 12 }} />
      <Button htmlType="submit" type="primary" loading={pending} data-testid={`${testId}-submit`}>
        {submitLabel}
      </Button>
    </Form>
  );
}

function InformationRequests({
  filingId,
  requests,
  canRespond,
}: {
  filingId: string;
  requests: InformationRequest[];
  canRespond: boolean;
}) {
  const { t, language } = useI18n();
  const toast = useToast();
  const respond = useRespondToInformationRequest(filingId);
  if (requests.length === 0)
    return <Typography.Text type="secondary">{t('filing.noInformationRequests')}</Typography.Text>;
  return (
    <ol className="plain-list" data-testid="information-requests">
      {requests.map((request) => (
        <li key={request.id} style={{ marginBottom: 16 }}>
          <Card
            size="small"
            type="inner"
            title={t('filing.requestedAt', { date: formatDateTime(request.requestedAt, language) })}
          >
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{request.message}</Typography.Paragraph>
            {request.response !== null ? (
              <Alert
                type="info"
                title={t('filing.respondedAt', { date: formatDateTime(request.respondedAt, language) })}
                description={<span style={{ whiteSpace: 'pre-wrap' }}>{request.response}</span>}
              />
            ) : canRespond ? (
              <MessageForm
                label={t('filing.yourResponse')}
                submitLabel={t('filing.sendResponse')}
                pending={respond.isPending}
                error={respond.error}
                testId="information-response"
                onSubmit={(message, done, fail) =>
                  respond.mutate(message, {
                    onSuccess: () => {
                      done();
                      void toast.success(t('filing.responseSent'));
                    },
                    onError: fail,
                  })
                }
              />
            ) : (
              <Typography.Text type="warning">{t('filing.awaitingResponse')}</Typography.Text>
            )}
          </Card>
        </li>
      ))}
    </ol>
  );
}

interface DraftValues {
  summary: string;
  transparencyMeasures?: string;
}

/**
 * The provider's draft: its texts (editable) and the submit button. Problems from the
 * completeness check (422 with pointers such as `/transparencyMeasures`) land on these fields.
 */
function DraftEditor({ filing }: { filing: Filing }) {
  const { t } = useI18n();
  const message = useToast();
  const [form] = Form.useForm<DraftValues>();
  const update = useUpdateFiling(filing.id);
  const submit = useSubmitFiling(filing.id);
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [confirming, setConfirming] = useState(false);
  const toInput = (values: DraftValues) => ({
    summary: values.summary.trim(),
    ...(values.transparencyMeasures?.trim() ? { transparencyMeasures: values.transparencyMeasures.trim() } : {}),
  });

  return (
    <Form<DraftValues>
      form={form}
      layout="vertical"
      initialValues={{ summary: filing.summary ?? '', transparencyMeasures: filing.transparencyMeasures ?? '' }}
      onFinish={(values) =>
        update.mutate(
          { input: toInput(values), version: filing.version },
          {
            onSuccess: () => void message.success(t('filing.draftSaved')),
            onError: (error) => setUnmatched(applyProblemToForm(form, error)),
          },
        )
      }
      data-testid="draft-form"
    >
      <Typography.Paragraph>{t(`filing.submitExplain.${filing.kind}`, { defaultValue: '' })}</Typography.Paragraph>
      <Form.Item
        name="summary"
        label={t('filing.summary')}
        extra={t('filing.summaryHelp')}
        rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
      >
        <Input.TextArea rows={5} maxLength={8000} showCount />
      </Form.Item>
      {filing.kind === 'disclosure' ? (
        <Form.Item
          name="transparencyMeasures"
          label={t('filing.transparencyMeasures')}
          extra={t('filing.transparencyMeasuresHelp')}
        >
          <Input.TextArea rows={4} maxLength={8000} showCount />
        </Form.Item>
      ) : null}
      <ErrorAlert error={submit.error ?? update.error} extra={unmatched} style={{ marginBottom: 12 }} />
      <Space wrap>
        <Button htmlType="submit" loading={update.isPending} data-testid="save-draft">
          {t('filing.saveDraft')}
        </Button>
        <Button
          type="primary"
          loading={submit.isPending}
          data-testid="submit-filing"
          onClick={() => setConfirming(true)}
        >
          {t('filing.submit')}
        </Button>
      </Space>
      <ConfirmDialog
        open={confirming}
        title={t(`filing.confirmSubmitTitle.${filing.kind}`)}
        body={t(`filing.confirmSubmitBody.${filing.kind}`)}
        okText={t('filing.submit')}
        loading={submit.isPending}
        testId="confirm-submit"
        onCancel={() => setConfirming(false)}
        onOk={() => {
          update.reset();
          submit.mutate(undefined, {
            onSuccess: () => void message.success(t('filing.submitted')),
            onError: (error) => setUnmatched(applyProblemToForm(form, error)),
            onSettled: () => setConfirming(false),
          });
        }}
      />
    </Form>
  );
}

interface DecisionValues {
  outcome: DecisionOutcome;
  reasons: string;
  legalBasis?: string;
  conditions?: string;
}

function DecisionForm({ filing, onStale }: { filing: Filing; onStale: () => void }) {
  const { t } = useI18n();
  const message = useToast();
  const decide = useDecideFiling(filing.id);
  const [form] = Form.useForm<DecisionValues>();
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const outcome = Form.useWatch('outcome', form);
  const isStale = isApiError(decide.error) && (decide.error.status === 412 || decide.error.status === 409);
  const [pending, setPending] = useState<DecisionValues | undefined>(undefined);

  const decideNow = (values: DecisionValues) => {
    const conditions = (values.conditions ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    decide.mutate(
      {
        version: filing.version,
        input: {
          outcome: values.outcome,
          reasons: values.reasons.trim(),
          ...(values.legalBasis?.trim() ? { legalBasis: values.legalBasis.trim() } : {}),
          ...(values.outcome === 'approved_with_conditions' ? { conditions } : {}),
        },
      },
      {
        onSuccess: () => void message.success(t('decision.recorded')),
        onError: (error) => setUnmatched(applyProblemToForm(form, error)),
        onSettled: () => setPending(undefined),
      },
    );
  };

  return (
    <Form<DecisionValues> form={form} layout="vertical" onFinish={setPending} data-testid="decision-form">
      <Form.Item
        name="outcome"
        label={t('decision.outcome')}
        rules={[{ required: true, message: t('decision.chooseOutcome') }]}
      >
        <Radio.Group optionType="button" buttonStyle="solid">
          {DECISION_OUTCOMES.map((value) => (
            <Radio.Button key={value} value={value}>
              {/* The test id sits on the visible label text: the radio input itself is hidden. */}
              <span data-testid={`decision-outcome-${value}`}>{t(`status.${value}`)}</span>
            </Radio.Button>
          ))}
        </Radio.Group>
      </Form.Item>
      <Form.Item
        name="reasons"
        label={t('decision.reasons')}
        extra={t('decision.reasonsHelp')}
        rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
      >
        <Input.TextArea rows={4} maxLength={8000} data-testid="decision-reasons" />
      </Form.Item>
      <Form.Item name="legalBasis" label={t('decision.legalBasis')} extra={t('decision.legalBasisHelp')}>
        <Input maxLength={500} />
      </Form.Item>
      {outcome === 'approved_with_conditions' ? (
        <Form.Item
          name="conditions"
          label={t('decision.conditions')}
          extra={t('decision.conditionsHelp')}
          rules={[{ required: true, whitespace: true, message: t('decision.conditionsRequired') }]}
        >
          <Input.TextArea rows={3} data-testid="decision-conditions" />
        </Form.Item>
      ) : null}
      <ErrorAlert error={decide.error} extra={unmatched} style={{ marginBottom: 12 }} />
      {isStale ? (
        <Button onClick={onStale} style={{ marginBottom: 12 }}>
          {t('decision.reload')}
        </Button>
      ) : null}
      <div>
        <Button
          type="primary"
          danger={outcome === 'rejected'}
          htmlType="submit"
          loading={decide.isPending}
          data-testid="decide-submit"
        >
          {t('decision.submit')}
        </Button>
      </div>
      <ConfirmDialog
        open={pending !== undefined}
        title={t('decision.confirmTitle', { outcome: pending === undefined ? '' : t(`status.${pending.outcome}`) })}
        body={t(pending?.outcome === 'rejected' ? 'decision.confirmBodyRejected' : 'decision.confirmBodyApproved')}
        okText={t('decision.submit')}
        danger={pending?.outcome === 'rejected'}
        loading={decide.isPending}
        testId="confirm-decision"
        onCancel={() => setPending(undefined)}
        onOk={() => {
          if (pending !== undefined) decideNow(pending);
        }}
      />
    </Form>
  );
}

/** One filing, for the provider who made it and for the reviewers who decide it. */
export function FilingPage() {
  const { id } = useParams();
  const { t, language, pick } = useI18n();
  const { data: user } = useMe();
  const query = useFiling(id);
  const filingId = id ?? '';
  const claim = useClaimFiling(filingId);
  const requestInformation = useRequestInformation(filingId);
  const withdraw = useWithdrawFiling(filingId);
  const message = useToast();
  const [confirmingWithdrawal, setConfirmingWithdrawal] = useState(false);
  const filing = query.data?.filing;

  if (filing === undefined) {
    return (
      <>
        <PageHeading title={t('filing.title')} />
        <QueryState isLoading={query.isLoading} error={query.error} />
      </>
    );
  }

  const isProvider = hasAnyRole(user, ORGANIZATION_ROLES);
  const isReviewer = hasAnyRole(user, ['reviewer']);
  const documents = filing.documents ?? [];
  const requests = filing.informationRequests ?? [];
  const productName = filing.product ? pick(filing.product.name, filing.product.nameEn) : undefined;
  const kindLabel = t(`filingKind.${filing.kind}`, { defaultValue: filing.kind });
  const isDecided = filing.decision !== null && filing.decision !== undefined;
  const isDraftForProvider = isProvider && filing.status === 'draft';
  const canWithdraw = isProvider && (OPEN_STATUSES as readonly string[]).includes(filing.status);
  // What the provider may take back: a draft's documents, or those added since the open request.
  const openRequest = requests.find((request) => request.response === null);
  const isRemovable = (document: FilingDocument) =>
    isProvider &&
    (filing.status === 'draft' ||
      (filing.status === 'information_requested' &&
        openRequest !== undefined &&
        document.uploadedAt !== undefined &&
        document.uploadedAt > openRequest.requestedAt));

  return (
    <>
      <PageHeading
        title={
          productName !== undefined
            ? t('filing.titleFor', { kind: kindLabel, product: productName })
            : t('filing.title')
        }
        extra={
          <Space wrap>
            <TierTag tier={filing.product?.tier ?? filing.tier} />
            <StatusTag status={filing.status} testId="filing-status" />
            {canWithdraw ? (
              <Button danger onClick={() => setConfirmingWithdrawal(true)} data-testid="withdraw-filing">
                {t('filing.withdraw')}
              </Button>
            ) : null}
          </Space>
        }
      />
      <FilingEthicsNotice filingId={filing.id} />
      <ConfirmDialog
        open={confirmingWithdrawal}
        title={t('filing.confirmWithdrawTitle')}
        body={t('filing.confirmWithdrawBody')}
        okText={t('filing.withdraw')}
        danger
        loading={withdraw.isPending}
        testId="confirm-withdraw"
        onCancel={() => setConfirmingWithdrawal(false)}
        onOk={() =>
          withdraw.mutate(filing.version, {
            onSuccess: () => void message.success(t('filing.withdrawn')),
            onError: () => void message.error(t('filing.withdrawFailed')),
            onSettled: () => setConfirmingWithdrawal(false),
          })
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Descriptions
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'kind', label: t('filing.kind'), children: kindLabel },
            {
              key: 'product',
              label: t('filing.product'),
              children: isProvider ? (
                <Link to={`/provider/products/${filing.productId}`}>{productName ?? filing.productId}</Link>
              ) : (
                (productName ?? filing.productId)
              ),
            },
            {
              key: 'submittedAt',
              label: t('filing.submittedAt'),
              children: formatDateTime(filing.submittedAt, language),
            },
            {
              key: 'dueDate',
              label: t('filing.dueDate'),
              children: (
                <span data-testid="filing-due-date">
                  <DueDate date={filing.dueDate} provisional={filing.dueDateProvisional} explain="inline" />
                </span>
              ),
            },
            { key: 'version', label: t('filing.version'), children: filing.version },
          ]}
        />
        {!isDraftForProvider && filing.summary ? (
          <>
            <Typography.Title level={2} style={{ fontSize: 15, marginTop: 12 }}>
              {t('filing.summary')}
            </Typography.Title>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{filing.summary}</Typography.Paragraph>
          </>
        ) : null}
        {!isDraftForProvider && filing.transparencyMeasures ? (
          <>
            <Typography.Title level={2} style={{ fontSize: 15 }}>
              {t('filing.transparencyMeasures')}
            </Typography.Title>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
              {filing.transparencyMeasures}
            </Typography.Paragraph>
          </>
        ) : null}
      </Card>

      {isProvider ? null : <ReviewContext filing={filing} />}

      {isDecided && filing.decision ? (
        <Card
          title={<h2 className="card-heading">{t('decision.heading')}</h2>}
          style={{ marginBottom: 16 }}
          data-testid="filing-decision"
        >
          <Space orientation="vertical">
            <StatusTag status={filing.decision.outcome} />
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
              {filing.decision.reasons}
            </Typography.Paragraph>
            {filing.decision.legalBasis ? (
              <Typography.Text type="secondary">
                {t('decision.legalBasis')}
                {t('common.colon')}
                {filing.decision.legalBasis}
              </Typography.Text>
            ) : null}
            {filing.decision.conditions && filing.decision.conditions.length > 0 ? (
              <div>
                {t('decision.conditions')}:
                <ul>
                  {filing.decision.conditions.map((condition) => (
                    <li key={condition}>{condition}</li>
                  ))}
                </ul>
              </div>
            ) : null}
            <Typography.Text type="secondary">{formatDateTime(filing.decision.decidedAt, language)}</Typography.Text>
          </Space>
        </Card>
      ) : null}

      <Card title={<h2 className="card-heading">{t('filing.documentsHeading')}</h2>} style={{ marginBottom: 16 }}>
        <DocumentsTable filingId={filing.id} documents={documents} isRemovable={isRemovable} />
        {isProvider && EDITABLE_BY_PROVIDER.has(filing.status) ? (
          <div style={{ marginTop: 16 }}>
            <DocumentUpload filingId={filing.id} />
          </div>
        ) : null}
      </Card>

      {isDraftForProvider ? (
        <Card title={<h2 className="card-heading">{t('filing.submitHeading')}</h2>} style={{ marginBottom: 16 }}>
          <DraftEditor key={filing.version} filing={filing} />
        </Card>
      ) : null}

      <Card title={<h2 className="card-heading">{t('filing.informationHeading')}</h2>} style={{ marginBottom: 16 }}>
        <InformationRequests
          filingId={filing.id}
          requests={requests}
          canRespond={isProvider && filing.status === 'information_requested'}
        />
        {isReviewer && filing.status === 'under_review' ? (
          <div style={{ marginTop: 16 }}>
            <MessageForm
              label={t('review.requestInformation')}
              submitLabel={t('review.sendRequest')}
              pending={requestInformation.isPending}
              error={requestInformation.error}
              testId="information-request"
              onSubmit={(text, done, fail) =>
                requestInformation.mutate(text, {
                  onSuccess: () => {
                    done();
                    void message.success(t('review.informationRequested'));
                  },
                  onError: fail,
                })
              }
            />
          </div>
        ) : null}
      </Card>

      {isReviewer && !isDecided && filing.status === 'submitted' ? (
        <Card title={<h2 className="card-heading">{t('review.claimHeading')}</h2>} style={{ marginBottom: 16 }}>
          <Typography.Paragraph>{t('review.claimExplain')}</Typography.Paragraph>
          <ErrorAlert error={claim.error} style={{ marginBottom: 12 }} />
          <Button
            type="primary"
            loading={claim.isPending}
            onClick={() => claim.mutate(undefined, { onSuccess: () => void message.success(t('review.claimed')) })}
            data-testid="claim-filing"
          >
            {t('review.claim')}
          </Button>
        </Card>
      ) : null}

      {isReviewer && !isDecided && filing.status === 'under_review' ? (
        <Card title={<h2 className="card-heading">{t('decision.heading')}</h2>}>
          <DecisionForm filing={filing} onStale={() => void query.refetch()} />
        </Card>
      ) : null}
    </>
  );
}
