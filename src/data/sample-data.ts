import { paths as filePaths, writeText } from '../util/files.js';
import { table, toCSV, type ColumnTable } from 'arquero';
import { InvalidInputError } from '../errors.js';
import { mulberry32, normal } from '../util/random.js';
import { DictionaryBuilder } from './categorical.js';

/**
 * Options of {@link sampleCustomers}.
 *
 * @example
 * ```ts
 * const t = sampleCustomers({ customers: 1000, seed: 7 });
 * ```
 */
export interface SampleOptions {
  /** Number of customers (default 75,001, the reference week). */
  customers?: number;
  /** Seed; the same seed gives the same table (default 42). */
  seed?: number;
}

/**
 * Options of {@link sampleData} and {@link writeSampleData}: the sample's
 * size and seed, and the layout of the files.
 *
 * @example
 * ```ts
 * const files = await writeSampleData('data', { customers: 75_000, layout: 'kaggle' });
 * ```
 */
export interface SampleDataOptions extends SampleOptions {
  /**
   * `library` (default): the sample's own columns, with `monthly_fee`.
   * `kaggle`: the public music-streaming churn data set's feature layout
   * (customer_id, age, location, subscription_type, payment_plan, …,
   * notifications_clicked: no fee and no value column), with probabilities
   * written as a Python model writes them (`6.17e-4`).
   */
  layout?: 'library' | 'kaggle';
}

/**
 * The feature columns of the `kaggle` layout, in file order.
 *
 * @example
 * ```ts
 * const header = KAGGLE_FEATURES.join(','); // the features file's first line
 * ```
 */
export const KAGGLE_FEATURES = [
  'customer_id',
  'age',
  'location',
  'subscription_type',
  'payment_plan',
  'num_subscription_pauses',
  'payment_method',
  'customer_service_inquiries',
  'signup_date',
  'weekly_hours',
  'average_session_length',
  'song_skip_rate',
  'weekly_songs_played',
  'weekly_unique_songs',
  'num_favorite_artists',
  'num_platform_friends',
  'num_playlists_created',
  'num_shared_playlists',
  'notifications_clicked',
] as const;

const PLANS = [
  // share, monthly fee, base churn log-odds
  { name: 'Free', share: 0.42, fee: 0, base: -0.4 },
  { name: 'Premium', share: 0.3, fee: 10.99, base: -1.6 },
  { name: 'Family', share: 0.16, fee: 16.99, base: -2.0 },
  { name: 'Student', share: 0.12, fee: 5.99, base: -1.1 },
] as const;
const REGIONS = ['EU', 'NA', 'LATAM', 'APAC'];

/**
 * A synthetic music-streaming customer base, deterministic by seed. Churn
 * follows what the reference churn model found: plan type, customer-service
 * contacts, listening hours and skip rate drive it. Customer value (`clv`) is
 * the monthly fee (or an ad value of $1.50 for Free) × expected remaining months.
 * Columns: customer_id, subscription_type, region, listening_hours,
 * song_skip_rate, customer_service_contacts, tenure_months, monthly_fee,
 * do_not_contact, churn_probability, clv.
 *
 * @example
 * ```ts
 * const model = RetentionModel.create().actions(defaultCatalog())
 *   .customers(sampleCustomers({ customers: 10_000 }), { segment: 'subscription_type' });
 * ```
 */
export function sampleCustomers(options: SampleOptions = {}): ColumnTable {
  const n = options.customers ?? 75_001;
  const seed = options.seed ?? 42;
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidInputError('sampleCustomers.customers', 'must be a positive integer', n);
  const rand = mulberry32(seed);
  const id = new Array<number>(n);
  // Text and flags as dictionary columns (one byte per customer where an array takes eight), as a
  // Parquet file gives them: at 10,000,000 customers the table is 0.7 GB instead of 0.9 GB.
  const plan = new DictionaryBuilder<string>(n);
  const region = new DictionaryBuilder<string>(n);
  const dnc = new DictionaryBuilder<boolean>(n);
  const hours = new Float64Array(n);
  const skip = new Float64Array(n);
  const contacts = new Float64Array(n);
  const tenure = new Float64Array(n);
  const fee = new Float64Array(n);
  const p = new Float64Array(n);
  const clv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rand();
    let acc = 0;
    let pl: (typeof PLANS)[number] = PLANS[PLANS.length - 1]!;
    for (const candidate of PLANS) {
      acc += candidate.share;
      if (u < acc) {
        pl = candidate;
        break;
      }
    }
    id[i] = 100_000 + i;
    plan.set(i, pl.name);
    region.set(i, REGIONS[Math.floor(rand() * REGIONS.length)]!);
    hours[i] = round1(Math.max(0, 18 + 12 * normal(rand)));
    skip[i] = round3(Math.min(1, Math.max(0, 0.3 + 0.15 * normal(rand))));
    contacts[i] = Math.min(12, Math.floor(-Math.log(Math.max(rand(), 1e-12)) * 1.2));
    tenure[i] = 1 + Math.floor(rand() * 72);
    fee[i] = pl.fee;
    dnc.set(i, rand() < 0.03);
    const logit =
      pl.base +
      0.35 * contacts[i]! -
      0.045 * (hours[i]! - 18) +
      2.2 * (skip[i]! - 0.3) -
      0.012 * tenure[i]! +
      0.4 * normal(rand);
    p[i] = round3(1 / (1 + Math.exp(-logit)));
    const monthly = pl.fee > 0 ? pl.fee : 1.5;
    // Expected remaining lifetime in months from the monthly churn hazard, capped at 5 years.
    const months = Math.min(60, 1 / Math.max(p[i]! / 6, 1 / 60));
    clv[i] = Math.round(monthly * months * 100) / 100;
  }
  return table({
    customer_id: id,
    subscription_type: column(plan),
    region: column(region),
    listening_hours: hours,
    song_skip_rate: skip,
    customer_service_contacts: contacts,
    tenure_months: tenure,
    monthly_fee: fee,
    do_not_contact: column(dnc),
    churn_probability: p,
    clv,
  });
}

// arquero reads any column with at(), which a DictionaryColumn has.
const column = <T extends string | boolean>(b: DictionaryBuilder<T>) => b.finish() as unknown as T[];

const round1 = (x: number) => Math.round(x * 10) / 10;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The two tables of {@link sampleData}.
 *
 * @example
 * ```ts
 * const { predictions, features }: SampleTables = sampleData({ customers: 1000 });
 * ```
 */
export interface SampleTables {
  /** The churn model's output: customer_id, churn_probability. */
  predictions: ColumnTable;
  /** The customers' features, without value. */
  features: ColumnTable;
}

/**
 * The two files {@link writeSampleData} wrote.
 *
 * @example
 * ```ts
 * const { predictions, features }: SampleFiles = await writeSampleData('data');
 * ```
 */
export interface SampleFiles {
  /** Path of prediction.csv. */
  predictions: string;
  /** Path of test.csv. */
  features: string;
}

/**
 * The sample customers in the layout of the reference workflow's files: the
 * churn model's `predictions` (customer_id, churn_probability) and the
 * customer `features`: with the default layout everything else but the value
 * (which the loader computes from `monthly_fee`); with `layout: 'kaggle'` the
 * public data set's 19 feature columns, with no fee and no value (give
 * `loadCustomers` a value rule).
 *
 * @example
 * ```ts
 * const { predictions, features } = sampleData({ customers: 75_001, seed: 42 });
 * const loaded = await loadCustomers({ predictions, features });
 * ```
 */
export function sampleData(options: SampleDataOptions = {}): SampleTables {
  const { layout = 'library', ...sample } = options;
  if (layout !== 'library' && layout !== 'kaggle')
    throw new InvalidInputError('sampleData.layout', 'must be "library" or "kaggle"', layout);
  const t = sampleCustomers(sample);
  if (layout === 'kaggle') return kaggleLayout(t, sample.seed ?? 42);
  return {
    predictions: t.select('customer_id', 'churn_probability'),
    features: t.select(
      'customer_id',
      'subscription_type',
      'region',
      'listening_hours',
      'song_skip_rate',
      'customer_service_contacts',
      'tenure_months',
      'monthly_fee',
      'do_not_contact',
    ),
  };
}

// The public data set's columns, derived from the sample's own so that churn still follows them
// (hours, skips, inquiries, tenure), plus columns of its own drawn from a second stream.
function kaggleLayout(t: ColumnTable, seed: number): { predictions: ColumnTable; features: ColumnTable } {
  const n = t.numRows();
  const rand = mulberry32(seed ^ 0x5eed);
  const p = t.array('churn_probability') as Float64Array;
  const hours = t.array('listening_hours') as Float64Array;
  const tenure = t.array('tenure_months') as Float64Array;
  const ints = <T>(f: () => T): T[] => Array.from({ length: n }, f);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const LOCATIONS = ['California', 'New York', 'Texas', 'Florida', 'Washington', 'Illinois'];
  const signup = ints(() => 0).map((_, i) => {
    const d = new Date(Date.UTC(2025, 0, 1) - tenure[i]! * 30.4 * 86_400_000);
    return d.toISOString().slice(0, 10);
  });
  // Churn scores as a model writes them: full precision, some far below 0.001.
  const probability = Float64Array.from(p, (x) =>
    Math.min(0.999, Number((x * Math.exp(1.5 * normal(rand) - 1)).toPrecision(3))),
  );
  const features = table({
    customer_id: t.array('customer_id'),
    age: ints(() => 16 + Math.floor(rand() * 55)),
    location: ints(() => pick(LOCATIONS)),
    subscription_type: t.array('subscription_type'),
    payment_plan: ints(() => (rand() < 0.45 ? 'Yearly' : 'Monthly')),
    num_subscription_pauses: ints(() => Math.floor(rand() * 5)),
    payment_method: ints(() => pick(['Credit Card', 'Debit Card', 'PayPal', 'Apple Pay'])),
    customer_service_inquiries: Array.from(t.array('customer_service_contacts') as ArrayLike<number>, (c) =>
      c >= 4 ? 'High' : c >= 2 ? 'Medium' : 'Low',
    ),
    signup_date: signup,
    weekly_hours: Float64Array.from(hours, (h) => round1(h * 0.8)),
    average_session_length: ints(() => round1(10 + rand() * 80)),
    song_skip_rate: t.array('song_skip_rate'),
    weekly_songs_played: Array.from(hours, (h) => Math.round(h * 12 + rand() * 40)),
    weekly_unique_songs: Array.from(hours, (h) => Math.round(h * 6 + rand() * 30)),
    num_favorite_artists: ints(() => Math.floor(rand() * 50)),
    num_platform_friends: ints(() => Math.floor(rand() * 100)),
    num_playlists_created: ints(() => Math.floor(rand() * 100)),
    num_shared_playlists: ints(() => Math.floor(rand() * 20)),
    notifications_clicked: ints(() => Math.floor(rand() * 50)),
  });
  return { predictions: table({ customer_id: t.array('customer_id'), churn_probability: probability }), features };
}

/**
 * Writes {@link sampleData} as `prediction.csv` and `test.csv` into `dir`
 * (created if needed) and returns the two paths. With `layout: 'kaggle'`,
 * probabilities below 0.001 are written in exponent form (`6.17e-4`), as the
 * reference files have them.
 *
 * @example
 * ```ts
 * const { predictions, features } = await writeSampleData('data', { customers: 1000 });
 * ```
 */
export async function writeSampleData(dir: string, options: SampleDataOptions = {}): Promise<SampleFiles> {
  const { join } = filePaths;
  const { predictions, features } = sampleData(options);
  const paths = { predictions: join(dir, 'prediction.csv'), features: join(dir, 'test.csv') };
  const asWritten = (x: number) => (x > 0 && x < 1e-3 ? x.toExponential() : String(x));
  await writeText(
    paths.predictions,
    toCSV(predictions, options.layout === 'kaggle' ? { format: { churn_probability: asWritten } } : {}),
  );
  await writeText(paths.features, toCSV(features));
  return paths;
}
