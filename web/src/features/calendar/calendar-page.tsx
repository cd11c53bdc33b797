import { Alert, Card, Col, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { PageHeading } from '../../components/page-heading.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.ts';
import { hasAnyRole, useMe } from '../identity/hooks.ts';
import { DayList } from './day-list.tsx';
import { useCalendarStatus, useWorkingCalendar } from './hooks.ts';
import { LoadYearCard } from './load-year-card.tsx';

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

/**
 * The official mainland-China working-day calendar the statutory clock runs on: statutory
 * holidays off, adjusted weekend working days on. Administrators load a newly published year
 * here (API-CONTRACT-2 §0): every provisional deadline is then recomputed.
 */
export function CalendarPage() {
  const { t, language } = useI18n();
  const { data: user } = useMe();
  const isAdmin = hasAnyRole(user, ['regulator_admin']);
  const status = useCalendarStatus();
  // "This year" is the server's (its clock may be a rehearsal clock), not the browser's.
  const thisYear = status.data === undefined ? undefined : Number(status.data.today.slice(0, 4));
  const [chosen, setChosen] = useState<number | undefined>(undefined);
  const year = chosen ?? thisYear;
  const calendar = useWorkingCalendar(year);
  const loaded = new Set(status.data?.years.map((entry) => entry.year) ?? []);
  const years =
    thisYear === undefined ? [] : [...new Set([...loaded, thisYear - 1, thisYear, thisYear + 1])].sort((a, b) => a - b);
  const missingYear = status.data?.missingYear ?? null;

  return (
    <>
      <PageHeading
        title={t('calendar.title')}
        subtitle={t('calendar.subtitle')}
        extra={
          <Select
            value={year}
            onChange={setChosen}
            aria-label={t('calendar.year')}
            data-testid="calendar-year-select"
            options={years.map((value) => ({
              value,
              label: loaded.has(value) ? String(value) : `${value} · ${t('calendar.notLoaded')}`,
            }))}
            style={{ width: 180 }}
          />
        }
      />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {missingYear !== null ? (
          <Alert
            type="warning"
            showIcon
            data-testid="calendar-missing-alert"
            title={t('calendar.missingTitle', { year: missingYear })}
            description={t('calendar.missingBody', {
              year: missingYear,
              count: status.data?.provisionalDeadlines ?? 0,
            })}
          />
        ) : null}
        {isAdmin && thisYear !== undefined ? (
          <LoadYearCard suggestedYear={missingYear ?? thisYear + 1} loadedYears={loaded} />
        ) : null}
        {calendar.data === undefined ? (
          <QueryState
            isLoading={calendar.isLoading || status.isLoading}
            error={calendar.error ?? status.error}
            // A year without official data is 404: "no calendar yet".
            notFoundStatuses={[404, 422]}
            notFoundTitle={t('calendar.noData', { year: year ?? '' })}
          />
        ) : (
          <Row gutter={[16, 16]}>
            <Col xs={24} md={12}>
              <Card
                title={
                  <h2 className="card-heading">
                    {t('calendar.offDays', { count: calendar.data.calendar.offDays.length })}
                  </h2>
                }
              >
                <DayList days={calendar.data.calendar.holidays ?? calendar.data.calendar.offDays} color="red" />
              </Card>
            </Col>
            <Col xs={24} md={12}>
              <Card
                title={
                  <h2 className="card-heading">
                    {t('calendar.workDays', { count: calendar.data.calendar.workDays.length })}
                  </h2>
                }
              >
                <DayList
                  days={calendar.data.calendar.adjustedWorkDays ?? calendar.data.calendar.workDays}
                  color="blue"
                />
              </Card>
            </Col>
            <Col xs={24}>
              <Typography.Paragraph type="secondary" data-testid="calendar-source">
                {t('calendar.source')}
                {t('common.colon')}
                {describeSource(calendar.data.calendar.source) || '—'}
                {calendar.data.calendar.loadedAt !== undefined ? (
                  <>
                    {' · '}
                    {t(calendar.data.calendar.origin === 'admin' ? 'calendar.loadedByAdmin' : 'calendar.shipped', {
                      at: formatDateTime(calendar.data.calendar.loadedAt, language),
                      version: calendar.data.calendar.version ?? 1,
                    })}
                  </>
                ) : null}
              </Typography.Paragraph>
            </Col>
          </Row>
        )}
      </Space>
    </>
  );
}
