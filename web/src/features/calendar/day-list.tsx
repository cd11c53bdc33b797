import { Empty, Tag } from 'antd';
import type { CalendarDay } from '../../api/types.ts';
import { formatDate } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/index.ts';

/** Days as tags: the date in the user's language and the holiday's name. */
export function DayList({ days, color }: { days: CalendarDay[]; color: string }) {
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
