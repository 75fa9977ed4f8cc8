// Layer 6 (render): tiny colour helpers that are the identity when colour is off (NO_COLOR, batch mode, JSON).
export interface RenderOptions {
  /** Columns available; text is truncated with … rather than wrapped. */
  readonly width: number;
  readonly color: boolean;
}

export interface Styles {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly cyan: (text: string) => string;
}

const identity = (text: string) => text;
const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export function stylesFor(options: RenderOptions): Styles {
  if (!options.color) return { bold: identity, dim: identity, red: identity, green: identity, yellow: identity, cyan: identity };
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}

/** Truncate to `width` characters with an ellipsis. */
export function clipText(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
}
