import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Input, Modal, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { isApiError } from '../../api/client.ts';
import type { CalendarLoadResult, CalendarPreview, CalendarYearInput, RecomputedDeadline } from '../../api/types.ts';
import { DueDate } from '../../components/due-date.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useToast } from '../../components/toast.tsx';
import { formatDate } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.ts';
import { DayList } from './day-list.tsx';
import { useLoadCalendarYear, usePreviewCalendarYear, useWorkingCalendar } from './hooks.ts';

type Translate = ReturnType<typeof useI18n>['t'];

/** Where a problem's pointer points, in words: "放假日第 3 项（2027-02-10）：中文名称". */
export function describePointer(pointer: string, input: CalendarYearInput | undefined, t: Translate): string {
  const parts = pointer.split('/').slice(1);
  const [first, second, third] = parts;
  if (first === 'year') return t('calendarLoad.field.year');
  if (first === 'source') {
    return second === undefined
      ? t('calendarLoad.field.source')
      : `${t('calendarLoad.field.source')}${t('common.colon')}${t(`calendarLoad.field.${second}`, { defaultValue: second })}`;
  }
  if (first === 'offDays' || first === 'workDays') {
    const list = t(`calendarLoad.field.${first}`);
    if (second === undefined) return list;
    const index = Number(second);
    const date = input?.[first][index]?.date;
    const item = t('calendarLoad.field.item', { list, number: index + 1, date: date ? `（${date}）` : '' });
    return third === undefined
      ? item
      : `${item}${t('common.colon')}${t(`calendarLoad.field.${third}`, { defaultValue: third })}`;
  }
  return t('calendarLoad.field.document');
}

/** The file as typed or uploaded, parsed; a message when it is not a calendar year at all. */
function parseInput(text: string, t: Translate): { input?: CalendarYearInput; error?: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: t('calendarLoad.notJson', { reason: error instanceof Error ? error.message : String(error) }) };
  }
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    typeof (value as { year?: unknown }).year !== 'number'
  ) {
    return { error: t('calendarLoad.noYear') };
  }
  return { input: value as CalendarYearInput };
}

function ProblemList({ error, input }: { error: unknown; input: CalendarYearInput | undefined }) {
  const { t } = useI18n();
  if (!isApiError(error) || error.errors.length === 0) return <ErrorAlert error={error} />;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="calendar-load-errors"
      title={t('calendarLoad.invalid', { count: error.errors.length })}
      description={
        <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
          {error.errors.map((problem) => (
            <li key={`${problem.pointer}:${problem.message}`}>
              <strong>{describePointer(problem.pointer, input, t)}</strong>
              {t('common.colon')}
              {problem.message}
            </li>
          ))}
        </ul>
      }
    />
  );
}

function DeadlineTable({ items, testId }: { items: RecomputedDeadline[]; testId: string }) {
  const { t, language } = useI18n();
  return (
    <Table<RecomputedDeadline>
      size="small"
      rowKey="resourceId"
      data-testid={testId}
      pagination={items.length > 10 ? { pageSize: 10 } : false}
      dataSource={items}
      locale={{ emptyText: t('calendarLoad.noDeadlines') }}
      columns={[
        {
          title: t('calendarLoad.deadlineSubject'),
          key: 'subject',
          render: (_, item) =>
            `${item.subject} · ${t(`calendarLoad.resource.${item.resourceType}`, { defaultValue: item.resourceType })}`,
        },
        {
          title: t('calendarLoad.before'),
          key: 'before',
          render: (_, item) => <DueDate date={item.dueDateBefore} provisional />,
        },
        {
          title: t('calendarLoad.after'),
          key: 'after',
          render: (_, item) =>
            item.dueDateProvisional ? (
              <DueDate date={item.dueDate} provisional />
            ) : (
              <strong>{formatDate(item.dueDate, language)}</strong>
            ),
        },
      ]}
    />
  );
}

/**
 * The administrator loads a newly published year: paste or upload the notice's dates in the
 * shape of data/reference/calendar/cn-YYYY.json, see what differs from the weekends-only count
 * and which provisional deadlines move, then confirm. The server validates and previews; this
 * page only shows what it says.
 */
export function LoadYearCard({ suggestedYear, loadedYears }: { suggestedYear: number; loadedYears: Set<number> }) {
  const { t, language } = useI18n();
  const toast = useToast();
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string | undefined>(undefined);
  const [previewed, setPreviewed] = useState<{ input: CalendarYearInput; preview: CalendarPreview } | undefined>(
    undefined,
  );
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<CalendarLoadResult | undefined>(undefined);
  const preview = usePreviewCalendarYear();
  const load = useLoadCalendarYear();
  const parsed = text.trim() === '' ? undefined : parseInput(text, t).input;
  const existing = useWorkingCalendar(
    previewed !== undefined && loadedYears.has(previewed.input.year) ? previewed.input.year : undefined,
  );

  const reset = () => {
    setPreviewed(undefined);
    setDone(undefined);
    setParseError(undefined);
    preview.reset();
    load.reset();
  };

  const check = () => {
    reset();
    const result = parseInput(text, t);
    if (result.input === undefined) {
      setParseError(result.error);
      return;
    }
    const input = result.input;
    preview.mutate(input, { onSuccess: (data) => setPreviewed({ input, preview: data }) });
  };

  const confirm = () => {
    if (previewed === undefined) return;
    load.mutate(
      { input: previewed.input, etag: previewed.preview.replaces === null ? null : (existing.data?.etag ?? null) },
      {
        onSuccess: (result) => {
          setConfirming(false);
          setPreviewed(undefined);
          setDone(result);
          void toast.success(t('calendarLoad.loaded', { year: result.year, count: result.recomputedDeadlines.length }));
        },
        onError: () => setConfirming(false),
      },
    );
  };

  const diff = previewed?.preview.diff;
  return (
    <Card data-testid="calendar-load-card" title={<h2 className="card-heading">{t('calendarLoad.title')}</h2>}>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Typography.Paragraph style={{ marginBottom: 0 }}>
          {t('calendarLoad.intro', { year: suggestedYear })}
        </Typography.Paragraph>
        <Upload
          accept=".json,application/json"
          showUploadList={false}
          beforeUpload={(file) => {
            void file.text().then((content) => {
              setText(content);
              reset();
            });
            return false;
          }}
        >
          <Button icon={<UploadOutlined aria-hidden="true" />} data-testid="calendar-upload">
            {t('calendarLoad.upload')}
          </Button>
        </Upload>
        <Input.TextArea
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            if (previewed !== undefined || parseError !== undefined) reset();
          }}
          rows={10}
          spellCheck={false}
          aria-label={t('calendarLoad.paste')}
          placeholder={t('calendarLoad.placeholder', { year: suggestedYear })}
          data-testid="calendar-json"
          style={{ fontFamily: 'monospace' }}
        />
        <Button
          type="primary"
          onClick={check}
          loading={preview.isPending}
          disabled={text.trim() === ''}
          data-testid="calendar-check"
        >
          {t('calendarLoad.check')}
        </Button>
        {parseError !== undefined ? <Alert type="error" showIcon role="alert" title={parseError} /> : null}
        {preview.error !== null ? <ProblemList error={preview.error} input={parsed} /> : null}
        {load.error !== null ? <ProblemList error={load.error} input={previewed?.input ?? parsed} /> : null}
        {previewed !== undefined && diff !== undefined ? (
          <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="calendar-preview">
            <Alert
              type="info"
              showIcon
              title={t('calendarLoad.valid', { year: previewed.input.year })}
              description={
                previewed.preview.replaces === null
                  ? t('calendarLoad.newYear')
                  : t('calendarLoad.replaces', { version: previewed.preview.replaces.version })
              }
            />
            <Descriptions
              bordered
              size="small"
              column={1}
              items={[
                {
                  key: 'workingDays',
                  label: t('calendarLoad.workingDays'),
                  children: t('calendarLoad.workingDaysValue', {
                    weekendsOnly: diff.workingDays.weekendsOnly,
                    official: diff.workingDays.official,
                  }),
                },
                {
                  key: 'weekdaysOff',
                  label: t('calendarLoad.weekdaysOff', { count: diff.weekdaysOff.length }),
                  children: <DayList days={diff.weekdaysOff} color="red" />,
                },
                {
                  key: 'weekendsWorked',
                  label: t('calendarLoad.weekendsWorked', { count: diff.weekendsWorked.length }),
                  children: <DayList days={diff.weekendsWorked} color="blue" />,
                },
                {
                  key: 'source',
                  label: t('calendar.source'),
                  children: `${previewed.input.source.title} · ${previewed.input.source.documentNo} · ${formatDate(previewed.input.source.published, language)}`,
                },
              ]}
            />
            <Typography.Title level={3} style={{ fontSize: 16, margin: 0 }}>
              {t('calendarLoad.deadlines', { count: previewed.preview.recomputedDeadlines.length })}
            </Typography.Title>
            <DeadlineTable items={previewed.preview.recomputedDeadlines} testId="calendar-preview-deadlines" />
            <Button type="primary" danger onClick={() => setConfirming(true)} data-testid="calendar-confirm">
              {t('calendarLoad.confirm', { year: previewed.input.year })}
            </Button>
          </Space>
        ) : null}
        {done !== undefined ? (
          <Alert
            type="success"
            showIcon
            data-testid="calendar-loaded"
            title={t('calendarLoad.loaded', { year: done.year, count: done.recomputedDeadlines.length })}
            description={<DeadlineTable items={done.recomputedDeadlines} testId="calendar-loaded-deadlines" />}
          />
        ) : null}
      </Space>
      <Modal
        open={confirming}
        title={t('calendarLoad.confirmTitle', { year: previewed?.input.year ?? '' })}
        okText={t('calendarLoad.confirmOk')}
        cancelText={t('action.cancel')}
        okButtonProps={{ danger: true, loading: load.isPending }}
        onOk={confirm}
        onCancel={() => setConfirming(false)}
      >
        <Typography.Paragraph>
          {t('calendarLoad.confirmBody', {
            year: previewed?.input.year ?? '',
            count: previewed?.preview.recomputedDeadlines.length ?? 0,
          })}
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}
