import { Button, Card, Form, Input, Space, TreeSelect, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { applyProblemToForm, type FieldProblem } from '../../api/client.ts';
import type { RiskAnswers } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useToast } from '../../components/toast.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { useI18n } from '../../i18n/index.ts';
import { useCatalogueLabels } from '../catalogue/hooks.ts';
import { useOrganizationVerified } from '../identity/hooks.ts';
import { StatusBlock } from '../../components/status-block.tsx';
import { useAssessRisk, useQuestionnaire } from '../risk/hooks.ts';
import { QuestionField } from '../risk/question-field.tsx';
import { initialAnswers, pickAnswers } from '../risk/questions.ts';
import { RiskResult } from '../risk/risk-result.tsx';
import { useCreateProduct, useProduct, useUpdateProduct, type ProductInput } from './hooks.ts';

interface ProductValues {
  name: string;
  nameEn?: string;
  description: string;
  catalogueCode: string;
  version: string;
  intendedUse: string;
  riskAnswers: Record<string, unknown>;
}

/** Answers handed over from the public self-check (`?answers=` JSON), if any. */
function answersFromUrl(params: URLSearchParams): RiskAnswers | undefined {
  const raw = params.get('answers');
  if (raw === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as RiskAnswers)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Register or edit a product: its description, catalogue class and the risk questionnaire that grades it. */
export function ProductFormPage() {
  const { id } = useParams();
  const isEdit = id !== undefined;
  const { t } = useI18n();
  const message = useToast();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<ProductValues>();
  const catalogue = useCatalogueLabels();
  const questionnaire = useQuestionnaire();
  const existing = useProduct(id);
  const create = useCreateProduct();
  const update = useUpdateProduct(id ?? '');
  const preview = useAssessRisk();
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const questions = useMemo(() => questionnaire.data?.questions ?? [], [questionnaire.data]);
  const save = isEdit ? update : create;
  const verified = useOrganizationVerified();

  // Fill the form once its inputs (questionnaire, and the product when editing) are there.
  const product = existing.data?.product;
  useEffect(() => {
    if (questions.length === 0) return;
    if (isEdit) {
      if (product === undefined) return;
      form.setFieldsValue({
        name: product.name,
        nameEn: product.nameEn ?? undefined,
        description: product.description,
        catalogueCode: product.catalogueCode,
        version: String(product.productVersion ?? product.version ?? ''),
        intendedUse: product.intendedUse,
        riskAnswers: { ...initialAnswers(questions), ...product.riskAnswers },
      });
    } else {
      form.setFieldsValue({ riskAnswers: { ...initialAnswers(questions), ...answersFromUrl(params) } });
    }
  }, [questions, product, isEdit, form, params]);

  if (verified === false) {
    return (
      <>
        <PageHeading title={isEdit ? t('productForm.editTitle') : t('productForm.newTitle')} />
        <StatusBlock
          tone="info"
          title={t('organizationBanner.waitsForVerification')}
          detail={t('organizationBanner.pendingBody')}
          testId="product-form-unverified"
        />
      </>
    );
  }

  if (questionnaire.data === undefined || (isEdit && existing.data === undefined)) {
    return (
      <>
        <PageHeading title={isEdit ? t('productForm.editTitle') : t('productForm.newTitle')} />
        <QueryState
          isLoading={questionnaire.isLoading || existing.isLoading}
          error={questionnaire.error ?? existing.error}
        />
      </>
    );
  }

  const toInput = (values: ProductValues): ProductInput => ({
    name: values.name.trim(),
    ...(values.nameEn?.trim() ? { nameEn: values.nameEn.trim() } : {}),
    description: values.description.trim(),
    catalogueCode: values.catalogueCode,
    version: values.version.trim(),
    intendedUse: values.intendedUse.trim(),
    riskAnswers: pickAnswers(questions, values.riskAnswers ?? {}),
  });

  const onFinish = (values: ProductValues) => {
    const input = toInput(values);
    const onError = (error: unknown) => setUnmatched(applyProblemToForm(form, error));
    if (isEdit) {
      update.mutate(
        { input, etag: existing.data?.etag ?? null, version: product?.version },
        {
          onSuccess: (saved) => {
            void message.success(t('productForm.saved'));
            void navigate(`/provider/products/${saved.id ?? id}`);
          },
          onError,
        },
      );
    } else {
      create.mutate(input, {
        onSuccess: (saved) => {
          void message.success(t('productForm.created'));
          void navigate(`/provider/products/${saved.id}`);
        },
        onError,
      });
    }
  };

  const runPreview = () => {
    const answers = pickAnswers(questions, (form.getFieldValue('riskAnswers') as Record<string, unknown>) ?? {});
    // The assessment endpoint points at `/answers/<key>`; here the answers live under `riskAnswers`.
    preview.mutate(answers, {
      onError: (error) =>
        setUnmatched(
          applyProblemToForm(form, error, (name) => (name[0] === 'answers' ? ['riskAnswers', ...name.slice(1)] : name)),
        ),
    });
  };

  return (
    <>
      <PageHeading
        title={isEdit ? t('productForm.editTitle') : t('productForm.newTitle')}
        subtitle={t('productForm.subtitle')}
      />
      <Form<ProductValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        scrollToFirstError={{ focus: true, block: 'center' }}
        data-testid="product-form"
      >
        <Card title={<h2 className="card-heading">{t('productForm.basicsHeading')}</h2>} style={{ marginBottom: 16 }}>
          <Form.Item
            name="name"
            label={t('product.name')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input maxLength={200} data-testid="product-name" />
          </Form.Item>
          <Form.Item name="nameEn" label={t('product.nameEn')}>
            <Input lang="en" maxLength={200} />
          </Form.Item>
          <Form.Item
            name="description"
            label={t('product.description')}
            extra={t('productForm.descriptionHelp')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input.TextArea rows={3} maxLength={4000} showCount />
          </Form.Item>
          <Form.Item
            name="intendedUse"
            label={t('product.intendedUse')}
            extra={t('productForm.intendedUseHelp')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input.TextArea rows={3} maxLength={4000} showCount />
          </Form.Item>
          <Space wrap size="large" align="start" style={{ width: '100%' }}>
            <Form.Item
              name="catalogueCode"
              label={t('product.catalogue')}
              extra={
                catalogue.version !== undefined
                  ? t('productForm.catalogueVersion', { version: catalogue.version })
                  : undefined
              }
              rules={[{ required: true, message: t('validation.required') }]}
              style={{ minWidth: 280 }}
            >
              <TreeSelect
                treeData={catalogue.tree}
                showSearch={{ treeNodeFilterProp: 'title' }}
                placeholder={t('productForm.cataloguePlaceholder')}
                loading={catalogue.query.isLoading}
                popupMatchSelectWidth={false}
                style={{ minWidth: 280 }}
                data-testid="product-catalogue"
              />
            </Form.Item>
            <Form.Item
              name="version"
              label={t('product.productVersion')}
              rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
            >
              <Input maxLength={50} style={{ width: 160 }} placeholder="1.0" />
            </Form.Item>
          </Space>
        </Card>

        <Card
          title={<h2 className="card-heading">{t('productForm.riskHeading')}</h2>}
          style={{ marginBottom: 16 }}
          data-testid="product-questionnaire"
        >
          <Typography.Paragraph type="secondary">{t('productForm.riskHelp')}</Typography.Paragraph>
          {questions.map((question) => (
            <QuestionField key={question.key} question={question} namePrefix={['riskAnswers']} />
          ))}
          <Button onClick={runPreview} loading={preview.isPending} data-testid="preview-tier">
            {t('productForm.previewTier')}
          </Button>
          {preview.data !== undefined ? (
            <div style={{ marginTop: 16 }} aria-live="polite">
              <RiskResult assessment={preview.data} />
            </div>
          ) : null}
        </Card>

        <ErrorAlert error={save.error ?? preview.error} extra={unmatched} style={{ marginBottom: 16 }} />
        <Space>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="product-save">
            {isEdit ? t('action.save') : t('productForm.create')}
          </Button>
          <Button onClick={() => void navigate(-1)}>{t('action.cancel')}</Button>
        </Space>
      </Form>
    </>
  );
}
