import { CHECKOUT_SEARCH_ATTRIBUTES } from '@commerce/workflows';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { temporalAddress, temporalNamespace } from './components';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

const indexedType: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  DOUBLE: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  TEXT: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/**
 * Registers the checkout search attributes on the namespace, adding only the missing ones, so it
 * works the same on a fresh dev server and on one that is being reused.
 */
export async function ensureSearchAttributes(namespace = temporalNamespace): Promise<string[]> {
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const known = new Set(Object.keys(existing.customAttributes ?? {}));
    const missing = CHECKOUT_SEARCH_ATTRIBUTES.filter((key) => !known.has(key.name));
    if (missing.length > 0) {
      const searchAttributes: Record<string, temporal.api.enums.v1.IndexedValueType> = {};
      for (const key of missing) {
        const type = indexedType[key.type];
        if (type === undefined) throw new Error(`unsupported search attribute type ${key.type}`);
        searchAttributes[key.name] = type;
      }
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
    }
    return missing.map((key) => key.name);
  } finally {
    await connection.close();
  }
}
