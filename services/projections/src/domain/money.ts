const SYMBOLS: Readonly<Record<string, string>> = { USD: '$', CAD: 'CA$', AUD: 'A$', EUR: '€', GBP: '£' };

/** Minor units as people read them: `formatMoney(4999, 'USD')` is "$49.99", `formatMoney(500, 'CHF')` "5.00 CHF". */
export function formatMoney(amount: number, currency: string | null | undefined): string {
  const code = currency ?? 'USD';
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const text = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  const symbol = SYMBOLS[code];
  return symbol ? `${sign}${symbol}${text}` : `${sign}${text} ${code}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A day as an agent says it, in UTC: "Dec 2" (the year only when it differs from `relativeTo`'s). */
export function formatDay(iso: string, relativeTo?: string): string {
  const day = new Date(iso);
  if (Number.isNaN(day.getTime())) return iso;
  const text = `${MONTHS[day.getUTCMonth()]} ${day.getUTCDate()}`;
  const year = relativeTo ? new Date(relativeTo).getUTCFullYear() : day.getUTCFullYear();
  return year === day.getUTCFullYear() ? text : `${text}, ${day.getUTCFullYear()}`;
}

/** `at` plus `ms`, as ISO-8601. */
export function addMs(iso: string, ms: number): string {
  return new Date(new Date(iso).getTime() + ms).toISOString();
}
