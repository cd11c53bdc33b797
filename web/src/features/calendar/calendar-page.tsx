import { useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Row, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { CalendarDay, WorkingCalendar } from '../../api/types.ts';
import { PageHeading } from '../../components/page-heading.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { formatDate } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.ts';

function useWorkingCalendar(year: number) {
  return useQuery({
    queryKey: ['public', 'calendar', year],
    queryFn: () => api<WorkingCalendar>(`/calendar/${year}`),
    staleTime: 60 * 60_000,
  });
}

function describeSource(source: unknown): string {
  if (typeof source === 'string') return source;
  if (Array.isArray(source)) return source.map(describeSource).join('; ');
  if (typeof source === 'object' && source !== null) {
    const record = source as Record<string, unknown>;
    const parts = [record.title, record.titleEn, record.documentNo, record.number, record.published, record.url].filter(
      (part) => typeof part === 'string',
    );
    return parts.join(' · ');
  }
  return '';
}

function DayList({ days, color }: { days: CalendarDay[]; color: string }) {
  const { language, pick } = useI18n();
  if (days.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }}>
      {days.map((day) => {
        const date = typeof day === 'string' ? day : day.date;
        const name = typeof day === 'string' ? '' : pick(day.nameZh, day.nameEn);
        return (
          <Tag key={date} color={color} title={date}>
            {formatDate(date, language)}
            {name !== '' ? ` · ${name}` : ''}
          </Tag>
        );
      })}
    </div>
  );
}

/**
 * The official mainland-China working-day calendar the statutory clock runs on: statutory
 * holidays off, adjusted weekend working days on.
 */
export function CalendarPage() {
  const { t } = useI18n();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const calendar = useWorkingCalendar(year);
  const years = [thisYear - 2, thisYear - 1, thisYear, thisYear + 1];

  return (
    <>
      <PageHeading
        title={t('calendar.title')}
        subtitle={t('calendar.subtitle')}
        extra={
          <Select
            value={year}
            onChange={setYear}
            aria-label={t('calendar.year')}
            options={years.map((value) => ({ value, label: String(value) }))}
            style={{ width: 120 }}
          />
        }
      />
      {calendar.data === undefined ? (
        <QueryState
          isLoading={calendar.isLoading}
          error={calendar.error}
          // A year without official data is 404 or 422 ("never a guess"): both mean "no calendar yet".
          notFoundStatuses={[404, 422]}
          notFoundTitle={t('calendar.noData', { year })}
        />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} md={12}>
            <Card
              title={<h2 className="card-heading">{t('calendar.offDays', { count: calendar.data.offDays.length })}</h2>}
            >
              <DayList days={calendar.data.offDays} color="red" />
            </Card>
          </Col>
          <Col xs={24} md={12}>
            <Card
              title={
                <h2 className="card-heading">{t('calendar.workDays', { count: calendar.data.workDays.length })}</h2>
              }
            >
              <DayList days={calendar.data.workDays} color="blue" />
            </Card>
          </Col>
          <Col xs={24}>
            <Typography.Text type="secondary">
              {t('calendar.source')}
              {t('common.colon')}
              {describeSource(calendar.data.source) || '—'}
            </Typography.Text>
          </Col>
        </Row>
      )}
    </>
  );
}
