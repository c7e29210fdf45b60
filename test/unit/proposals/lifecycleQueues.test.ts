import { describe, expect, it } from 'vitest';
import { pickItem, queueText, type QueueItem } from '../../../src/features/proposals/chat/queues.js';

const items: QueueItem[] = [
  { id: 11, number: '〔2026〕第003号', seq: 3, title: '关于保障农村饮水安全的建议', line: 'a' },
  { id: 12, number: '〔2026〕第012号', seq: 12, title: '关于加快老旧小区加装电梯的建议', line: 'b' },
];

describe('picking a proposal from a chat list', () => {
  it('reads a list position, a proposal number or a title word', () => {
    expect(pickItem(items, '2')?.id).toBe(12);
    expect(pickItem(items, '２')?.id).toBe(12);
    expect(pickItem(items, '第1个')?.id).toBe(11);
    expect(pickItem(items, '第12号')?.id).toBe(12);
    expect(pickItem(items, '12号')?.id).toBe(12);
    expect(pickItem(items, '〔2026〕第003号')?.id).toBe(11);
    // A bare number beyond the list is a proposal number.
    expect(pickItem(items, '12')?.id).toBe(12);
    expect(pickItem(items, '电梯')?.id).toBe(12);
    expect(pickItem(items, '「饮水」那件')?.id).toBe(11);
  });

  it('finds nothing for what names no item', () => {
    expect(pickItem(items, '7')).toBeNull();
    expect(pickItem(items, '第5号')).toBeNull();
    expect(pickItem(items, '〔2025〕第003号')).toBeNull();
    expect(pickItem(items, '殡葬')).toBeNull();
    expect(pickItem(items, '')).toBeNull();
  });

  it('numbers the list, or says it is empty', () => {
    expect(queueText('sign', items)).toBe('1. a\n2. b');
    expect(queueText('sign', [])).toContain('没有待本单位签收');
  });
});
