/**
 * A deterministic catalog generator: the same `count` always gives the same products (names,
 * descriptions, prices, stock), from word lists only (no network, no randomness from the clock).
 */

export interface SeedCategory {
  readonly name: string;
  readonly slug: string;
  /** Short SKU prefix. */
  readonly code: string;
  readonly kinds: readonly string[];
  /** Price range in minor units (cents). */
  readonly price: readonly [number, number];
}

export const SEED_CATEGORIES: readonly SeedCategory[] = [
  {
    name: 'Audio',
    slug: 'audio',
    code: 'AUD',
    kinds: ['Headphones', 'Earbuds', 'Speaker', 'Soundbar', 'Turntable', 'Microphone'],
    price: [1999, 49999],
  },
  {
    name: 'Computers',
    slug: 'computers',
    code: 'CMP',
    kinds: ['Laptop', 'Monitor', 'Keyboard', 'Mouse', 'Webcam', 'Docking Station'],
    price: [1499, 299999],
  },
  {
    name: 'Phones',
    slug: 'phones',
    code: 'PHN',
    kinds: ['Smartphone', 'Phone Case', 'Charger', 'Power Bank', 'Screen Protector'],
    price: [999, 149999],
  },
  {
    name: 'Kitchen',
    slug: 'kitchen',
    code: 'KIT',
    kinds: ['Blender', 'Coffee Grinder', 'Kettle', 'Toaster', 'Chef Knife', 'Frying Pan'],
    price: [1299, 59999],
  },
  {
    name: 'Outdoors',
    slug: 'outdoors',
    code: 'OUT',
    kinds: ['Tent', 'Sleeping Bag', 'Backpack', 'Headlamp', 'Water Bottle', 'Hiking Boots'],
    price: [999, 69999],
  },
  {
    name: 'Fitness',
    slug: 'fitness',
    code: 'FIT',
    kinds: ['Yoga Mat', 'Dumbbells', 'Jump Rope', 'Smartwatch', 'Foam Roller'],
    price: [799, 39999],
  },
  {
    name: 'Home',
    slug: 'home',
    code: 'HOM',
    kinds: ['Desk Lamp', 'Throw Blanket', 'Wall Clock', 'Air Purifier', 'Bookshelf'],
    price: [1499, 89999],
  },
];

export const BRANDS = [
  'Acme',
  'Northwind',
  'Contoso',
  'Lumina',
  'Vertex',
  'Orbital',
  'Kestrel',
  'Halcyon',
  'Ironwood',
  'Bluepeak',
  'Sonora',
  'Tidewater',
] as const;

export const ADJECTIVES = [
  'Wireless',
  'Compact',
  'Premium',
  'Classic',
  'Ultralight',
  'Rugged',
  'Smart',
  'Ergonomic',
  'Portable',
  'Professional',
  'Vintage',
  'Eco',
] as const;

const COLOURS = ['black', 'white', 'silver', 'navy', 'forest green', 'graphite', 'sand', 'red'];
const MATERIALS = ['aluminium', 'recycled plastic', 'stainless steel', 'bamboo', 'nylon', 'oak'];
const QUALITIES = [
  'built to last',
  'designed for everyday use',
  'tested by professionals',
  'with a two-year warranty',
  'easy to clean',
  'quiet and efficient',
];

export interface SeedProduct {
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly price: number;
  readonly currency: string;
  readonly categorySlug: string;
  readonly attributes: Record<string, string | number>;
  readonly onHand: number;
}

/** mulberry32: a tiny, fast, seedable PRNG (enough for test data). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, list: readonly T[]): T =>
  list[Math.floor(random() * list.length)] as T;

/** Product number `index` (0-based) of the catalog; the same index always gives the same product. */
export function generateProduct(index: number): SeedProduct {
  const random = prng(index * 2654435761 + 1);
  const category = SEED_CATEGORIES[index % SEED_CATEGORIES.length] as SeedCategory;
  const kind = pick(random, category.kinds);
  const brand = pick(random, BRANDS);
  const adjective = pick(random, ADJECTIVES);
  const colour = pick(random, COLOURS);
  const material = pick(random, MATERIALS);
  const model = `${String.fromCharCode(65 + Math.floor(random() * 26))}${100 + Math.floor(random() * 900)}`;
  // A companion from another category: its kind appears in the description only, which is what
  // makes ranking visible (a name match must outrank a description match).
  const other = SEED_CATEGORIES[(index + 3) % SEED_CATEGORIES.length] as SeedCategory;
  const companion = pick(random, other.kinds).toLowerCase();
  const [low, high] = category.price;
  const price = Math.round((low + random() * (high - low)) / 100) * 100 - 1;
  // About one product in eight is out of stock.
  const onHand = random() < 0.125 ? 0 : 1 + Math.floor(random() * 200);
  return {
    sku: `${category.code}-${String(index + 1).padStart(6, '0')}`,
    name: `${brand} ${adjective} ${kind} ${model}`,
    description:
      `A ${adjective.toLowerCase()} ${kind.toLowerCase()} in ${colour} ${material}, ` +
      `${pick(random, QUALITIES)}. Pairs well with the ${brand} ${companion}.`,
    price: Math.max(price, 99),
    currency: 'USD',
    categorySlug: category.slug,
    attributes: { brand, colour, material, model },
    onHand,
  };
}

/** Products `from` .. `from + count - 1`. */
export function* generateCatalog(count: number, from = 0): Generator<SeedProduct> {
  for (let i = from; i < from + count; i++) yield generateProduct(i);
}

/** Size of the default catalog (`npm run seed`, SEED_CATALOG=true). */
export const DEFAULT_CATALOG_SIZE = 1200;
