/** Adds `value` to the list kept under `key` (made when absent): grouping without copying each list on each add. */
export function append<K, V>(groups: Map<K, V[]>, key: K, value: V): void {
  const list = groups.get(key);
  if (list) list.push(value);
  else groups.set(key, [value]);
}
