// The arguments that make an Intl.DateTimeFormat again. Its resolved options
// are what a restart passes to `new Intl.DateTimeFormat(locale, options)`
// (platform-values.ts), but V8 reads them off the ICU pattern and takes a
// letter of a quoted literal for a field: Spanish `{ month: 'long', year:
// 'numeric' }` is the pattern "MMMM 'de' y", whose resolved options say
// `day: 'numeric'` too, so the remade formatter printed "15 de enero de
// 2023" where the program's printed "enero de 2023". Takes a formatter;
// guarantees options that format a probe date as the formatter does, when
// dropping one of the date-time fields the resolution added finds them, and
// the resolved options as they are otherwise.

const FIELDS = ['weekday', 'era', 'year', 'month', 'day', 'dayPeriod', 'hour', 'minute', 'second', 'fractionalSecondDigits', 'timeZoneName'] as const;
// every field differs from its neighbours' values: a missing or extra one shows
const PROBE = Date.UTC(2001, 10, 23, 14, 5, 36, 789);

export function dateTimeFormatArgs(f: Intl.DateTimeFormat): unknown[] {
  const { locale, ...options } = f.resolvedOptions() as unknown as Record<string, unknown>;
  const want = safeFormat(f);
  if (want === undefined || remade(locale, options) === want) return [locale, options];
  for (const field of FIELDS) {
    if (!(field in options)) continue;
    const { [field]: _dropped, ...fewer } = options;
    if (remade(locale, fewer) === want) return [locale, fewer];
  }
  return [locale, options];
}

function remade(locale: unknown, options: Record<string, unknown>): string | undefined {
  try {
    return safeFormat(new Intl.DateTimeFormat(locale as string, options));
  } catch {
    return undefined;
  }
}

function safeFormat(f: Intl.DateTimeFormat): string | undefined {
  try {
    return f.format(PROBE);
  } catch {
    return undefined;
  }
}
