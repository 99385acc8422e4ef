/** An ISO 4217 code in upper case: "USD", "CNY", "EUR". */
export type CurrencyCode = string & { readonly __unit: 'currency' };

const ISO_CODE = /^[A-Z]{3}$/;

/** Normalises a currency as found in exports ("usd", " USD ", "RMB") to an ISO code, or `undefined`. */
export function parseCurrencyCode(text: string): CurrencyCode | undefined {
  const upper = text.trim().toUpperCase();
  const code = upper === 'RMB' ? 'CNY' : upper;
  return ISO_CODE.test(code) ? (code as CurrencyCode) : undefined;
}

export function isCurrencyCode(text: string): text is CurrencyCode {
  return ISO_CODE.test(text);
}

/** Digits after the decimal mark when a currency is shown to people (JPY 0, most others 2). */
export function minorUnitDigits(currency: string): number {
  switch (currency) {
    case 'JPY':
    case 'KRW':
    case 'VND':
    case 'CLP':
    case 'ISK':
      return 0;
    case 'BHD':
    case 'KWD':
    case 'OMR':
    case 'JOD':
    case 'TND':
      return 3;
    default:
      return 2;
  }
}
