import { getCollection, type CollectionEntry } from 'astro:content';

export type Chapter = CollectionEntry<'guide'>;

/** Chapters in reading order (frontmatter `order`, then title). */
export async function chapters(): Promise<Chapter[]> {
  const all = await getCollection('guide');
  return all.sort((a, b) => a.data.order - b.data.order || a.data.title.localeCompare(b.data.title));
}

export function chapterHref(chapter: Chapter): string {
  return `/guide/${chapter.id}/`;
}
