/**
 * Small helpers for numbers quoted in the guide's prose. Each chapter computes its figures at build time with
 * src/sizing; these only look models up and format the results the same way everywhere.
 */
import { findModel, type CatalogModel } from '../components/calculators/common/model-catalog';
import { formatAuto, formatBytes, formatCount, type ByteUnit } from '../sizing/units';

/** A catalog model; throws at build time when the id is unknown, so a chapter cannot quote a missing model. */
export function model(id: string): CatalogModel {
  const m = findModel(id);
  if (!m) throw new Error(`The guide quotes model "${id}", which is not in the catalog or not supported by the engine.`);
  return m;
}

export const gb = (bytes: number, digits?: number) => formatAuto(bytes, 'GB', digits === undefined ? {} : { digits });
export const gib = (bytes: number, digits?: number) => formatAuto(bytes, 'GiB', digits === undefined ? {} : { digits });
export const inUnit = (bytes: number, unit: ByteUnit, digits?: number) => formatBytes(bytes, unit, digits === undefined ? {} : { digits });
export const count = (n: number) => formatCount(n);
export const int = (n: number) => n.toLocaleString('en-US');
export const pct = (part: number, whole: number, digits = 1) => `${((part / whole) * 100).toFixed(digits)}%`;
export const times = (a: number, b: number, digits = 1) => `${(a / b).toFixed(digits)}×`;
