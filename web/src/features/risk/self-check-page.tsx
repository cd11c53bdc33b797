import { Button, Card, Descriptions, Form, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { isApiError, pointerToFieldName, type FieldProblem } from '../../api/client.ts';
import type { Question, RiskAssessment } from '../../api/types.ts';
import { ButtonLink } from '../../components/button-link.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { useI18n } from '../../i18n/index.ts';
import { hasAnyRole, useMe } from '../identity/hooks.ts';
import { useAssessRisk, useQuestionnaire } from './hooks.ts';
import { QuestionField } from './question-field.tsx';
import { initialAnswers, pickAnswers, questionKind, questionOptions } from './questions.ts';
import { RiskResult } from './risk-result.tsx';

function AnswerSummary({ questions, values }: { questions: Question[]; values: Record<string, unknown> }) {
  const { t, pick } = useI18n();
  const describe = (question: Question): string => {
    const value = values[question.key];
    const options = questionOptions(question);
    const label = (v: string) => {
      const option = options.find((candidate) => candidate.value === v);
      return option === undefined ? v : pick(option.labelZh, option.labelEn);
    };
    switch (questionKind(question)) {
      case 'boolean':
        return value === true ? t('common.yes') : value === false ? t('common.no') : '—';
      case 'multi':
        return Array.isArray(value) && value.length > 0
          ? value.map((v) => label(String(v))).join('；')
          : t('risk.none');
      case 'single':
        return typeof value === 'string' ? label(value) : '—';
    }
  };
  return (
    <Descriptions
      column={1}
      size="small"
      bordered
      items={questions.map((question) => ({
        key: question.key,
        label: pick(question.labelZh, question.labelEn),
        children: describe(question),
      }))}
    />
  );
}

/**
 * The public risk self-check: one question a step, then the tier with its reasons and
 * obligations. Nothing is stored (POST /risk/assessments is stateless).
 */
export function SelfCheckPage() {
  const { t, pick } = useI18n();
  const questionnaire = useQuestionnaire();
  const assess = useAssessRisk();
  const { data: user } = useMe();
  const [form] = Form.useForm();
  const [step, setStep] = useState(0);
  const [result, setResult] = useState<RiskAssessment | undefined>();
  const [unmatched, setUnmatched] = useState<FieldProblem[]>([]);
  const [pendingErrors, setPendingErrors] = useState<{ key: string; errors: string[] } | undefined>();
  const stepHeading = useRef<HTMLHeadingElement>(null);

  const questions = questionnaire.data?.questions ?? [];
  const isReview = step === questions.length;
  const current = questions[step];

  useEffect(() => {
    // Each step is a new "page" for keyboard and screen-reader users: start at its heading.
    stepHeading.current?.focus();
  }, [step, result]);

  useEffect(() => {
    // Server-side problems land on the question once its step (and so its field) is shown.
    if (pendingErrors === undefined) return;
    form.setFields([{ name: pendingErrors.key, errors: pendingErrors.errors }]);
    setPendingErrors(undefined);
  }, [pendingErrors, form]);

  if (questionnaire.data === undefined) {
    return (
      <>
        <PageHeading title={t('risk.title')} subtitle={t('risk.subtitle')} />
        <QueryState
          isLoading={questionnaire.isLoading}
          error={questionnaire.error}
          onRetry={() => void questionnaire.refetch()}
          notFoundTitle={t('risk.unavailable')}
        />
      </>
    );
  }

  const restart = () => {
    form.resetFields();
    form.setFieldsValue(initialAnswers(questions));
    assess.reset();
    setResult(undefined);
    setUnmatched([]);
    setStep(0);
  };

  const next = async () => {
    if (current === undefined) return;
    try {
      await form.validateFields([current.key]);
      setStep(step + 1);
    } catch {
      // The field shows its own message.
    }
  };

  const submit = () => {
    const answers = pickAnswers(questions, form.getFieldsValue(true) as Record<string, unknown>);
    assess.mutate(answers, {
      onSuccess: (assessment) => setResult(assessment),
      onError: (error) => {
        // `/answers/domain` → the `domain` question; send the user back to the first one named.
        const problems = (isApiError(error) ? error.errors : []).map((problem) => {
          const name = pointerToFieldName(problem.pointer);
          return { problem, key: String((name[0] === 'answers' ? name[1] : name[0]) ?? '') };
        });
        setUnmatched(problems.filter((entry) => !questions.some((q) => q.key === entry.key)).map((e) => e.problem));
        const firstBad = questions.findIndex((question) => problems.some((entry) => entry.key === question.key));
        const badQuestion = questions[firstBad];
        if (badQuestion !== undefined) {
          setStep(firstBad);
          setPendingErrors({
            key: badQuestion.key,
            errors: problems.filter((entry) => entry.key === badQuestion.key).map((entry) => entry.problem.message),
          });
        }
      },
    });
  };

  const isProvider = hasAnyRole(user, ['org_admin', 'org_member']);

  return (
    <>
      <PageHeading title={t('risk.title')} subtitle={t('risk.subtitle')} />
      {result !== undefined ? (
        <>
          <h2 ref={stepHeading} tabIndex={-1} className="visually-hidden">
            {t('risk.resultHeading')}
          </h2>
          <RiskResult
            assessment={result}
            actions={
              <Space wrap>
                <Button onClick={restart} data-testid="self-check-restart">
                  {t('risk.restart')}
                </Button>
                <Button onClick={() => setResult(undefined)}>{t('risk.changeAnswers')}</Button>
                {isProvider && result.tier !== 'prohibited' ? (
                  <ButtonLink
                    type="primary"
                    to={`/provider/products/new?answers=${encodeURIComponent(
                      JSON.stringify(pickAnswers(questions, form.getFieldsValue(true) as Record<string, unknown>)),
                    )}`}
                  >
                    {t('risk.registerProduct')}
                  </ButtonLink>
                ) : null}
              </Space>
            }
          />
        </>
      ) : (
        <Card>
          <div
            className="progress-bar"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={questions.length}
            aria-valuenow={step}
            aria-label={t('risk.progress', { current: Math.min(step + 1, questions.length), total: questions.length })}
          >
            <div style={{ width: `${Math.round((step / questions.length) * 100)}%` }} />
          </div>
          <Typography.Text type="secondary" data-testid="self-check-progress">
            {isReview ? t('risk.reviewStep') : t('risk.progress', { current: step + 1, total: questions.length })}
          </Typography.Text>
          <h2 ref={stepHeading} tabIndex={-1} style={{ fontSize: 20, margin: '12px 0 16px', outline: 'none' }}>
            {isReview ? t('risk.reviewHeading') : current !== undefined ? pick(current.labelZh, current.labelEn) : ''}
          </h2>
          <Form
            form={form}
            layout="vertical"
            initialValues={initialAnswers(questions)}
            requiredMark={false}
            onFinish={() => (isReview ? submit() : void next())}
            data-testid="self-check-form"
          >
            {current !== undefined && !isReview ? (
              <>
                {pick(current.helpZh, current.helpEn) !== '' ? (
                  <Typography.Paragraph className="question-help">
                    {pick(current.helpZh, current.helpEn)}
                  </Typography.Paragraph>
                ) : null}
                <QuestionField key={current.key} question={current} standalone />
              </>
            ) : null}
            {isReview ? (
              <AnswerSummary questions={questions} values={form.getFieldsValue(true) as Record<string, unknown>} />
            ) : null}
            <ErrorAlert error={assess.error} extra={unmatched} style={{ marginTop: 16 }} />
            <Space style={{ marginTop: 16 }} wrap>
              <Button disabled={step === 0} onClick={() => setStep(step - 1)} data-testid="self-check-back">
                {t('action.back')}
              </Button>
              <Button type="primary" htmlType="submit" loading={assess.isPending} data-testid="self-check-next">
                {isReview ? t('risk.seeResult') : t('action.next')}
              </Button>
            </Space>
          </Form>
          <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
            {t('risk.rulesetVersion', { version: questionnaire.data.rulesetVersion })} · {t('risk.notStored')}
          </Typography.Paragraph>
        </Card>
      )}
    </>
  );
}
