/**
 * County defaults for the drafting flow. The county's own 提案委 lists replace these; the
 * flow file `flows/proposal.yaml` repeats them as choice options, and a test keeps the two in step.
 */

export interface Category {
  /** Level 1: 「五大建设」. */
  name: string;
  /** Level 2, the recommended finer list grouped under level 1; each group ends with 其他. */
  children: readonly string[];
}

export const DEFAULT_CATEGORIES: readonly Category[] = [
  { name: '经济建设', children: ['经济发展', '农业农村（乡村振兴）', '城乡建设与管理', '交通', '其他'] },
  { name: '政治建设', children: ['政治法律（民主法治）', '统战民族宗教', '其他'] },
  { name: '文化建设', children: ['教育', '科技', '文化旅游体育', '其他'] },
  { name: '社会建设', children: ['医疗卫生', '社会保障与就业', '民政养老托育', '社会治理与平安', '其他'] },
  { name: '生态文明建设', children: ['生态环境', '其他'] },
];

/** Plausible county-level 承办单位 a member may suggest (the 提案委 decides the actual assignment). */
export const DEFAULT_HANDLING_UNITS: readonly string[] = [
  '县发展和改革局',
  '县教育局',
  '县工业和信息化局',
  '县财政局',
  '县人力资源和社会保障局',
  '县自然资源局',
  '县生态环境局',
  '县住房和城乡建设局',
  '县交通运输局',
  '县水利局',
  '县农业农村局',
  '县商务局',
  '县文化和旅游局',
  '县卫生健康局',
  '县民政局',
  '县应急管理局',
  '县市场监督管理局',
  '县医疗保障局',
  '县城市管理局',
  '县公安局',
  '县司法局',
];

/** 〔2026〕第012号: the year in 六角括号 and the sequence padded to three digits (wider numbers kept whole). */
export function formatProposalNumber(year: number, seq: number): string {
  return `〔${year}〕第${String(seq).padStart(3, '0')}号`;
}
