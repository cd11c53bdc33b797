import { Checkbox, Form, Radio, Select } from 'antd';
import type { Question } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.ts';
import { questionKind, questionOptions } from './questions.ts';

/** Long single-choice lists read better as a searchable select than as a wall of radios. */
const MAX_RADIO_OPTIONS = 8;

/**
 * One risk question as an Ant Design form field; used by the public self-check wizard and
 * inside the product form (there under `['riskAnswers', key]`).
 */
export function QuestionField({
  question,
  namePrefix = [],
  compactHelp = false,
  standalone = false,
}: {
  question: Question;
  namePrefix?: string[];
  compactHelp?: boolean;
  /** The wizard shows the question as its step heading with the help above: keep the label for screen readers only. */
  standalone?: boolean;
}) {
  const { t, pick } = useI18n();
  const kind = questionKind(question);
  const options = questionOptions(question);
  const help = pick(question.helpZh, question.helpEn);
  const name = [...namePrefix, question.key];
  const testId = `question-${question.key}`;

  const labelText = pick(question.labelZh, question.labelEn);
  const label = standalone ? (
    <span className="visually-hidden">{labelText}</span>
  ) : (
    <span style={{ fontWeight: 600 }}>{labelText}</span>
  );
  const extra =
    help !== '' && !standalone ? <div className={compactHelp ? undefined : 'question-help'}>{help}</div> : undefined;

  switch (kind) {
    case 'boolean':
      return (
        <Form.Item
          name={name}
          label={label}
          extra={extra}
          className={standalone ? 'standalone-question' : undefined}
          rules={[{ required: true, message: t('risk.answerRequired') }]}
          data-testid={testId}
        >
          <Radio.Group
            options={[
              { value: true, label: t('common.yes') },
              { value: false, label: t('common.no') },
            ]}
          />
        </Form.Item>
      );
    case 'multi':
      return (
        <Form.Item
          name={name}
          label={label}
          extra={extra}
          className={standalone ? 'standalone-question' : undefined}
          data-testid={testId}
        >
          <Checkbox.Group className="option-list" style={{ display: 'flex', flexDirection: 'column' }}>
            {options.map((option) => {
              const optionHelp = pick(option.helpZh, option.helpEn);
              return (
                <Checkbox key={option.value} value={option.value}>
                  <span>{pick(option.labelZh, option.labelEn)}</span>
                  {optionHelp !== '' && !compactHelp ? <span className="option-help">{optionHelp}</span> : null}
                </Checkbox>
              );
            })}
          </Checkbox.Group>
        </Form.Item>
      );
    case 'single':
      return (
        <Form.Item
          name={name}
          label={label}
          extra={extra}
          className={standalone ? 'standalone-question' : undefined}
          rules={[{ required: true, message: t('risk.answerRequired') }]}
          data-testid={testId}
        >
          {options.length > MAX_RADIO_OPTIONS ? (
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('risk.choose')}
              options={options.map((option) => ({ value: option.value, label: pick(option.labelZh, option.labelEn) }))}
              style={{ maxWidth: 420 }}
            />
          ) : (
            <Radio.Group className="option-list" style={{ display: 'flex', flexDirection: 'column' }}>
              {options.map((option) => {
                const optionHelp = pick(option.helpZh, option.helpEn);
                return (
                  <Radio key={option.value} value={option.value}>
                    <span>{pick(option.labelZh, option.labelEn)}</span>
                    {optionHelp !== '' && !compactHelp ? <span className="option-help">{optionHelp}</span> : null}
                  </Radio>
                );
              })}
            </Radio.Group>
          )}
        </Form.Item>
      );
  }
}
