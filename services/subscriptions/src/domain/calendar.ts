import { BillingInterval, DomainError } from '@continuum/contracts';

/**
 * The billing calendar: calendar dates `YYYY-MM-DD` in the account time zone. Pure arithmetic on
 * dates (no clock): an instant comes in as ISO-8601 and is turned into the date it is in `timeZone`.
 */
export type CalendarDate = string;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: CalendarDate): { year: number; month: number; day: number } {
  const match = DATE.exec(date);
  if (!match) throw new DomainError('INVALID_DATE', `${date} is not a calendar date (YYYY-MM-DD)`, 'rule', { field: 'date' });
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const format = (year: number, month: number, day: number): CalendarDate => `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

/** true for a real date of the calendar (2026-02-30 is not) */
export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const { year, month, day } = parts(value);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The calendar date an instant falls on in `timeZone` (an IANA name, e.g. "America/New_York"). */
export function localDate(instant: string, timeZone: string): CalendarDate {
  const formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const byType = Object.fromEntries(formatter.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  return `${byType['year']}-${byType['month']}-${byType['day']}`;
}

/** true when `timeZone` is a zone Intl knows */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const { year, month, day } = parts(date);
  const moved = new Date(Date.UTC(year, month - 1, day + days));
  return format(moved.getUTCFullYear(), moved.getUTCMonth() + 1, moved.getUTCDate());
}

/**
 * `months` months later on day `anchorDay` of the month (default: the day of `date`); a month too
 * short for it takes its last day (the 31st bills on Feb 28/29, Apr 30, then Mar 31 again).
 */
export function addMonths(date: CalendarDate, months: number, anchorDay?: number): CalendarDate {
  const { year, month, day } = parts(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  return format(targetYear, targetMonth, Math.min(anchorDay ?? day, daysInMonth(targetYear, targetMonth)));
}

/** One billing interval after `date`; `anchorDay` keeps monthly bills on the same day of the month. */
export function addInterval(date: CalendarDate, interval: BillingInterval, anchorDay?: number): CalendarDate {
  return interval.unit === 'DAY' ? addDays(date, interval.count) : addMonths(date, interval.count, anchorDay);
}

export const dayOfMonth = (date: CalendarDate): number => parts(date).day;

export const laterOf = (a: CalendarDate, b: CalendarDate): CalendarDate => (a >= b ? a : b);

/**
 * The interval of a campaign product's `intervalDays`: N days, or monthly on the same day when the
 * account counts that many days as a month (MONTHLY_INTERVAL_DAYS, e.g. 30).
 */
export function intervalOf(intervalDays: number, monthlyIntervalDays: readonly number[]): BillingInterval {
  return monthlyIntervalDays.includes(intervalDays) ? { unit: 'MONTH', count: 1 } : { unit: 'DAY', count: intervalDays };
}
