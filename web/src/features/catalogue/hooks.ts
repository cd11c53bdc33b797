import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api } from '../../api/client.ts';
import type { Catalogue, CatalogueItem } from '../../api/types.ts';
import { useI18n } from '../../i18n/index.ts';

/** The AI industry classification catalogue (public reference data, rarely changes). */
export function useCatalogue(version?: string) {
  return useQuery({
    queryKey: ['public', 'catalogue', version ?? 'current'],
    queryFn: () => api<Catalogue>('/catalogue', { query: { version } }),
    staleTime: 60 * 60_000,
  });
}

export interface CatalogueTreeNode {
  value: string;
  title: string;
  key: string;
  children?: CatalogueTreeNode[];
}

/** Builds the foundation / technology / application tree for a TreeSelect or Tree. */
export function buildCatalogueTree(
  items: CatalogueItem[],
  label: (item: CatalogueItem) => string,
): CatalogueTreeNode[] {
  const nodes = new Map<string, CatalogueTreeNode>();
  for (const item of items) nodes.set(item.code, { value: item.code, key: item.code, title: label(item) });
  const roots: CatalogueTreeNode[] = [];
  for (const item of items) {
    const node = nodes.get(item.code);
    if (node === undefined) continue;
    const parent = item.parentCode === null ? undefined : nodes.get(item.parentCode);
    if (parent === undefined) roots.push(node);
    else (parent.children ??= []).push(node);
  }
  return roots;
}

function flattenTree(nodes: CatalogueTreeNode[], depth = 0): { node: CatalogueTreeNode; depth: number }[] {
  return nodes.flatMap((node) => [{ node, depth }, ...flattenTree(node.children ?? [], depth + 1)]);
}

/** Catalogue codes to names in the current language, plus the tree for pickers. */
export function useCatalogueLabels() {
  const { pick } = useI18n();
  const catalogue = useCatalogue();
  const data = catalogue.data;
  const labels = useMemo(() => {
    const items = data?.items ?? [];
    const byCode = new Map(items.map((item) => [item.code, item]));
    const name = (code: string | null | undefined): string => {
      if (code === null || code === undefined) return '—';
      const item = byCode.get(code);
      return item === undefined ? code : pick(item.nameZh, item.nameEn);
    };
    const tree = buildCatalogueTree(items, (item) => `${item.code} ${pick(item.nameZh, item.nameEn)}`);
    // A flat, indented list for a plain Select (the public search avoids TreeSelect's weight).
    const flatOptions = flattenTree(tree).map(({ node, depth }) => ({
      value: node.value,
      label: `${'\u3000'.repeat(depth)}${node.title}`,
    }));
    return { name, tree, flatOptions, version: data?.version };
  }, [data, pick]);
  return { ...labels, query: catalogue };
}
