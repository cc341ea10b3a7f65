import { addDays, addInterval, addMonths, intervalOf, isCalendarDate, localDate } from './calendar';

describe('the billing calendar', () => {
  it('reads an instant as the calendar date of the account time zone', () => {
    expect(localDate('2026-03-01T03:00:00.000Z', 'UTC')).toBe('2026-03-01');
    expect(localDate('2026-03-01T03:00:00.000Z', 'America/New_York')).toBe('2026-02-28');
    expect(localDate('2026-03-01T20:00:00.000Z', 'Asia/Tokyo')).toBe('2026-03-02');
  });

  it('adds days across months and years', () => {
    expect(addDays('2026-02-20', 14)).toBe('2026-03-06');
    expect(addDays('2026-12-25', 10)).toBe('2027-01-04');
  });

  it('bills monthly on the same day; the 31st on the last day of a shorter month, then the 31st again', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-02-28', 1, 31)).toBe('2026-03-31');
    expect(addMonths('2026-03-31', 1)).toBe('2026-04-30');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addInterval('2026-04-30', { unit: 'MONTH', count: 1 }, 31)).toBe('2026-05-31');
    expect(addInterval('2026-04-30', { unit: 'DAY', count: 30 })).toBe('2026-05-30');
  });

  it('takes an interval length as monthly only when the account says so', () => {
    expect(intervalOf(30, [30])).toEqual({ unit: 'MONTH', count: 1 });
    expect(intervalOf(30, [])).toEqual({ unit: 'DAY', count: 30 });
  });

  it('knows real dates', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('26-01-01')).toBe(false);
  });
});
