import { describe, expect, it } from 'vitest';
import { dedupKeyOf, InboundParseError, parseInbound } from '../../../src/wecom/inbound.js';
import type { InboundMessage } from '../../../src/wecom/inbound.js';
import { cdata, eventXml, templateCardEventXml, textXml } from '../../fakes/wecomSigner.js';
import { A2, B2 } from './vectors.js';

const corp = 'ww1436e0e65a779aee';
const common = { toUserName: corp, fromUserName: 'ZhangSan', createTime: '1700000000', agentId: '1000002' };
const wrap = (msgType: string, inner: string) =>
  `<xml><ToUserName>${cdata(corp)}</ToUserName><FromUserName>${cdata('ZhangSan')}</FromUserName><CreateTime>1700000000</CreateTime>` +
  `<MsgType>${cdata(msgType)}</MsgType>${inner}<AgentID>1000002</AgentID></xml>`;

describe('parseInbound: official plaintexts', () => {
  it('A2 (CDATA, newlines between elements, MsgId past 2^53)', () => {
    expect(parseInbound(A2.plaintext)).toEqual({
      type: 'text',
      toUserName: 'wx5823bf96d3bd56c7',
      fromUserName: 'mycreate',
      createTime: '1409659813',
      agentId: '218',
      content: 'hello',
      msgId: '4561255354251345929',
    });
  });

  it('B2 (no CDATA, Chinese)', () => {
    expect(parseInbound(B2.plaintext)).toMatchObject({
      type: 'text',
      content: '你好',
      msgId: '1456453720',
      fromUserName: 'ChenJiaShun',
    });
  });
});

describe('parseInbound: every type', () => {
  it('text keeps content verbatim', () => {
    for (const content of [
      '007',
      '0x1A',
      '1e3',
      '01012345678',
      'true',
      ' 42 ',
      '13800138000',
      '提案😀',
      'a]]>b',
      '  ',
    ]) {
      const msg = parseInbound(
        textXml({
          corpId: corp,
          from: 'ZhangSan',
          content,
          msgId: '1',
          createTime: 1700000000,
          agentId: 1000002,
        }),
      );
      expect(msg).toMatchObject({ type: 'text', content });
    }
  });

  it('text outside CDATA: predefined entities are decoded once, numbers stay strings', () => {
    const msg = parseInbound(
      wrap('text', '<Content>a&lt;b &amp;amp; 007</Content><MsgId>4561255354251345928</MsgId>'),
    );
    expect(msg).toMatchObject({ type: 'text', content: 'a<b &amp; 007', msgId: '4561255354251345928' });
    const cd = parseInbound(wrap('text', '<Content><![CDATA[&lt;]]></Content><MsgId>1</MsgId>'));
    expect(cd).toMatchObject({ content: '&lt;' });
  });

  it('MsgIds of 16, 19 and 20 digits are kept exactly', () => {
    for (const id of ['1234567890123456', '4561255354251345929', '18446744073709551615']) {
      expect(parseInbound(wrap('text', `<Content>x</Content><MsgId>${id}</MsgId>`))).toMatchObject({
        msgId: id,
      });
    }
  });

  it('image, voice, video, location, link', () => {
    expect(
      parseInbound(
        wrap(
          'image',
          '<PicUrl><![CDATA[http://p/1.jpg]]></PicUrl><MediaId><![CDATA[m1]]></MediaId><MsgId>11</MsgId>',
        ),
      ),
    ).toEqual({
      type: 'image',
      ...common,
      picUrl: 'http://p/1.jpg',
      mediaId: 'm1',
      msgId: '11',
    });
    expect(parseInbound(wrap('voice', '<MediaId>m2</MediaId><Format>amr</Format><MsgId>12</MsgId>'))).toEqual(
      {
        type: 'voice',
        ...common,
        mediaId: 'm2',
        format: 'amr',
        msgId: '12',
      },
    );
    expect(
      parseInbound(wrap('video', '<MediaId>m3</MediaId><ThumbMediaId>t3</ThumbMediaId><MsgId>13</MsgId>')),
    ).toEqual({
      type: 'video',
      ...common,
      mediaId: 'm3',
      thumbMediaId: 't3',
      msgId: '13',
    });
    expect(
      parseInbound(
        wrap(
          'location',
          '<Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[县政协]]></Label><MsgId>14</MsgId>',
        ),
      ),
    ).toEqual({
      type: 'location',
      ...common,
      latitude: '23.134521',
      longitude: '113.358803',
      scale: '20',
      label: '县政协',
      msgId: '14',
    });
    expect(
      parseInbound(
        wrap(
          'link',
          '<Title>t</Title><Description>d</Description><Url>http://u</Url><PicUrl>http://p</PicUrl><MsgId>15</MsgId>',
        ),
      ),
    ).toEqual({
      type: 'link',
      ...common,
      title: 't',
      description: 'd',
      url: 'http://u',
      picUrl: 'http://p',
      msgId: '15',
    });
  });

  it('events: subscribe, unsubscribe, enter_agent (empty CDATA key), click, view', () => {
    for (const event of ['subscribe', 'unsubscribe', 'enter_agent'] as const) {
      expect(
        parseInbound(
          eventXml({ corpId: corp, from: 'ZhangSan', event, createTime: 1700000000, agentId: 1000002 }),
        ),
      ).toEqual({
        type: 'event',
        ...common,
        event,
        eventKey: '',
      });
    }
    expect(
      parseInbound(
        eventXml({
          corpId: corp,
          from: 'ZhangSan',
          event: 'click',
          eventKey: 'menu_007',
          createTime: 1700000000,
          agentId: 1000002,
        }),
      ),
    ).toMatchObject({
      type: 'event',
      event: 'click',
      eventKey: 'menu_007',
    });
    expect(
      parseInbound(wrap('event', '<Event>view</Event><EventKey>https://x/y?a=1&amp;b=2</EventKey>')),
    ).toMatchObject({
      type: 'event',
      event: 'view',
      eventKey: 'https://x/y?a=1&b=2',
    });
    // No EventKey element at all.
    expect(parseInbound(wrap('event', '<Event>subscribe</Event>'))).toMatchObject({
      type: 'event',
      eventKey: '',
    });
  });

  it('template_card_event: the doc sample with whitespace, array OptionIds', () => {
    const xml = `<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[FromUser]]></FromUserName>
<CreateTime>123456789</CreateTime><MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[key111]]></EventKey>
<TaskId><![CDATA[taskid111]]></TaskId><CardType><![CDATA[text_notice]]></CardType>
<ResponseCode><![CDATA[ResponseCode]]></ResponseCode><AgentID>1</AgentID>
<SelectedItems>
  <SelectedItem><QuestionKey><![CDATA[QuestionKey1]]></QuestionKey>
    <OptionIds><OptionId><![CDATA[OptionId1]]></OptionId><OptionId><![CDATA[OptionId2]]></OptionId></OptionIds>
  </SelectedItem>
</SelectedItems></xml>`;
    expect(parseInbound(xml)).toEqual({
      type: 'template_card_event',
      toUserName: 'toUser',
      fromUserName: 'FromUser',
      createTime: '123456789',
      agentId: '1',
      eventKey: 'key111',
      taskId: 'taskid111',
      cardType: 'text_notice',
      responseCode: 'ResponseCode',
      selectedItems: [{ questionKey: 'QuestionKey1', optionIds: ['OptionId1', 'OptionId2'] }],
    });
  });

  it('template_card_event: single and multiple SelectedItem / OptionId, and none', () => {
    const base = {
      corpId: corp,
      from: 'ZhangSan',
      createTime: 1700000000,
      agentId: 1000002,
      eventKey: 'submit',
      taskId: 't1',
      responseCode: 'rc1',
      cardType: 'vote_interaction',
    };
    expect(
      parseInbound(
        templateCardEventXml({ ...base, selectedItems: [{ questionKey: 'q1', optionIds: ['007'] }] }),
      ),
    ).toMatchObject({
      selectedItems: [{ questionKey: 'q1', optionIds: ['007'] }],
    });
    const two = [
      { questionKey: 'q1', optionIds: ['a', 'b'] },
      { questionKey: 'q2', optionIds: ['c'] },
    ];
    expect(parseInbound(templateCardEventXml({ ...base, selectedItems: two }))).toMatchObject({
      selectedItems: two,
    });
    expect(
      parseInbound(templateCardEventXml({ ...base, selectedItems: [{ questionKey: 'q1', optionIds: [] }] })),
    ).toMatchObject({
      selectedItems: [{ questionKey: 'q1', optionIds: [] }],
    });
    expect(parseInbound(templateCardEventXml(base))).toMatchObject({
      type: 'template_card_event',
      selectedItems: [],
      responseCode: 'rc1',
    });
    expect(
      parseInbound(
        wrap(
          'event',
          '<Event>template_card_event</Event><EventKey>k</EventKey><SelectedItems>\n</SelectedItems>',
        ),
      ),
    ).toMatchObject({
      selectedItems: [],
    });
  });
});

describe('parseInbound: unknown and malformed', () => {
  it('unknown MsgType and unknown Event become "unknown", keeping string fields', () => {
    expect(parseInbound(wrap('file', '<MediaId>m</MediaId><MsgId>99</MsgId>'))).toEqual({
      type: 'unknown',
      ...common,
      msgType: 'file',
      event: null,
      msgId: '99',
      fields: {
        ToUserName: corp,
        FromUserName: 'ZhangSan',
        CreateTime: '1700000000',
        MsgType: 'file',
        MediaId: 'm',
        MsgId: '99',
        AgentID: '1000002',
      },
    });
    const loc = parseInbound(
      wrap(
        'event',
        '<Event>LOCATION</Event><Latitude>23.1</Latitude><Longitude>113.3</Longitude><Precision>10</Precision>',
      ),
    );
    expect(loc).toMatchObject({ type: 'unknown', msgType: 'event', event: 'LOCATION', msgId: null });
    expect(loc.type === 'unknown' && loc.fields['Latitude']).toBe('23.1');
  });

  it('a known type missing a required field falls back to "unknown", not an error', () => {
    expect(parseInbound(wrap('text', '<Content>no id</Content>'))).toMatchObject({
      type: 'unknown',
      msgType: 'text',
      msgId: null,
    });
    expect(parseInbound(wrap('image', '<MediaId><x>1</x></MediaId><MsgId>1</MsgId>'))).toMatchObject({
      type: 'unknown',
      msgType: 'image',
    });
  });

  it('reads a kf_msg_or_event notice (no FromUserName) with its token and 客服账号; its dedup key is both', () => {
    const kf = `<xml><ToUserName><![CDATA[${corp}]]></ToUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[ENCA]]></Token><OpenKfId><![CDATA[wk1]]></OpenKfId></xml>`;
    const msg = parseInbound(kf);
    expect(msg).toMatchObject({ type: 'kf_msg_or_event', token: 'ENCA', openKfId: 'wk1', fromUserName: '' });
    expect(dedupKeyOf(msg)).toBe('kf:wk1:ENCA');
    // Without its token it is not a notice we can act on: still no FromUserName, so not parseable.
    expect(() => parseInbound(kf.replace('<Token><![CDATA[ENCA]]></Token>', ''))).toThrow(InboundParseError);
  });

  it.each([
    ['empty', ''],
    ['not XML', 'hello'],
    ['JSON', '{"MsgType":"text"}'],
    ['unclosed', '<xml><FromUserName>a</FromUserName><MsgType>text</xml>'],
    ['two roots', '<xml><FromUserName>a</FromUserName><MsgType>text</MsgType></xml><xml></xml>'],
    ['wrong root', '<root><FromUserName>a</FromUserName><MsgType>text</MsgType></root>'],
    ['no MsgType', '<xml><FromUserName>a</FromUserName></xml>'],
    ['empty FromUserName', '<xml><FromUserName></FromUserName><MsgType>text</MsgType></xml>'],
    [
      'DOCTYPE',
      '<!DOCTYPE x [<!ENTITY e "INJ">]><xml><FromUserName>&e;</FromUserName><MsgType>text</MsgType></xml>',
    ],
    [
      '__proto__',
      '<xml><FromUserName>a</FromUserName><MsgType>text</MsgType><__proto__><p>1</p></__proto__></xml>',
    ],
    [
      'FromUserName twice',
      '<xml><FromUserName>a</FromUserName><FromUserName>b</FromUserName><MsgType>text</MsgType></xml>',
    ],
  ])('%s → InboundParseError', (_name, xml) => {
    expect(() => parseInbound(xml)).toThrow(InboundParseError);
    expect(({} as Record<string, unknown>)['p']).toBeUndefined();
  });
});

describe('dedupKeyOf', () => {
  const at = { ...common };
  it('messages use MsgId; neighbouring MsgIds differ', () => {
    const a = parseInbound(wrap('text', '<Content>x</Content><MsgId>4561255354251345929</MsgId>'));
    const b = parseInbound(wrap('text', '<Content>x</Content><MsgId>4561255354251345928</MsgId>'));
    expect(dedupKeyOf(a)).toBe('m:4561255354251345929');
    expect(dedupKeyOf(b)).not.toBe(dedupKeyOf(a));
  });

  it('events use from, createTime, event and eventKey', () => {
    const msg: InboundMessage = { type: 'event', ...at, event: 'click', eventKey: 'k1' };
    expect(dedupKeyOf(msg)).toBe('e:ZhangSan:1700000000:click:k1');
    expect(dedupKeyOf({ ...msg, eventKey: 'k2' })).not.toBe(dedupKeyOf(msg));
  });

  it('template card taps append the ResponseCode (each tap has its own)', () => {
    const msg: InboundMessage = {
      type: 'template_card_event',
      ...at,
      eventKey: 'yes',
      taskId: 't',
      cardType: 'button_interaction',
      responseCode: 'rc1',
      selectedItems: [],
    };
    expect(dedupKeyOf(msg)).toBe('e:ZhangSan:1700000000:template_card_event:yes:rc1');
    expect(dedupKeyOf({ ...msg, responseCode: 'rc2' })).not.toBe(dedupKeyOf(msg));
  });

  it('unknown: MsgId when present, else the event tuple', () => {
    expect(dedupKeyOf(parseInbound(wrap('file', '<MsgId>77</MsgId>')))).toBe('m:77');
    expect(
      dedupKeyOf(parseInbound(wrap('event', '<Event>scancode_push</Event><EventKey>s1</EventKey>'))),
    ).toBe('e:ZhangSan:1700000000:event:scancode_push:s1');
    expect(dedupKeyOf(parseInbound(wrap('weird', '')))).toBe('e:ZhangSan:1700000000:weird::');
  });

  it('unknown events without MsgId: two LOCATION reports in one second are two keys; the same report is one', () => {
    const report = (lat: string) =>
      parseInbound(
        wrap('event', `<Event>LOCATION</Event><Latitude>${lat}</Latitude><Longitude>113.3</Longitude>`),
      );
    expect(dedupKeyOf(report('23.1'))).not.toBe(dedupKeyOf(report('23.2')));
    expect(dedupKeyOf(report('23.1'))).toBe(dedupKeyOf(report('23.1')));
    expect(dedupKeyOf(report('23.1'))).toMatch(/^e:ZhangSan:1700000000:event:LOCATION::[0-9a-f]{16}$/);
  });

  it('caps keys at 191 chars with a hash tail, keeping long keys distinct and surrogates whole', () => {
    const long: InboundMessage = {
      type: 'event',
      ...at,
      event: 'view',
      eventKey: `https://x/${'a'.repeat(300)}`,
    };
    const key = dedupKeyOf(long);
    expect(key.length).toBeLessThanOrEqual(191);
    expect(key).toMatch(/^e:ZhangSan:1700000000:view:https:\/\/x\/a+#[0-9a-f]{64}$/);
    expect(dedupKeyOf({ ...long, eventKey: `${long.eventKey}b` })).not.toBe(key);
    expect(dedupKeyOf(long)).toBe(key);
    for (let pad = 0; pad < 4; pad++) {
      const emoji: InboundMessage = {
        type: 'event',
        ...at,
        event: 'click',
        eventKey: 'x'.repeat(pad) + '😀'.repeat(150),
      };
      const k = dedupKeyOf(emoji);
      expect(k.length).toBeLessThanOrEqual(191);
      expect(Buffer.from(k, 'utf8').toString('utf8')).toBe(k);
    }
  });
});
