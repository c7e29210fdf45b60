import { actorKey, type Actor } from '../../core/actor.js';
import type { Database } from '../../core/ports.js';
import { readConversation } from '../../core/conversationData.js';
import type { InboundRoute, MenuChoice, RouteContext, RouteResult } from '../../core/feature.js';
import type { SurveyCatalog } from './catalog.js';
import { pickSurvey } from './domain/index.js';
import { allSurveysNow, CITIZEN_CHANNEL, type SurveyNow, type SurveySettings } from './surveyAccess.js';
import { surveyTexts } from './texts.js';

/** What a tap on a survey's item of the citizens' menu sends back (msgmenu click id, ≤ 128 bytes). */
export const SURVEY_MENU_PREFIX = 'survey:';

/**
 * How citizens (微信客服) reach the surveys. A session opened through a survey's link (its scene) starts that survey;
 * a link that ended gets the citizens' help (the open surveys as a menu). A tap on a survey in that menu, a number or
 * a title word from the list starts one. Anything else passes to the citizens' flows (留言反映问题) and help.
 * Members are not concerned (they start a survey by its keywords).
 */
export function citizenSurveyRoute(catalog: SurveyCatalog, settings: SurveySettings): InboundRoute {
  return {
    name: 'surveys.citizens',
    phrases: [],
    audience: 'citizens',
    // A tap on a survey in the menu is an explicit choice, even in the middle of another flow.
    interruptsFlow: true,
    async handle(input, ctx) {
      if (ctx.actor.channel !== CITIZEN_CHANNEL) return null;
      const record = await ctx.db.conversations.get(actorKey(ctx.actor));
      const data = readConversation(record?.data ?? null);
      // In a survey (or one gone idle): the conversation runtime continues or resumes it.
      const inFlow = data?.mode === 'flow' && data.state.status === 'active' ? data.state.flowId : null;
      switch (input.type) {
        case 'sessionStart': {
          const survey = input.scene === null ? null : catalog.byScene(input.scene);
          if (survey && survey.id !== inFlow) return start(survey.id);
          return null;
        }
        case 'text':
        case 'click': {
          const text = input.type === 'text' ? input.text : input.key;
          if (text.startsWith(SURVEY_MENU_PREFIX)) {
            // The survey's own flow says whether it is open, closed or already answered.
            const tapped = catalog.get(text.slice(SURVEY_MENU_PREFIX.length));
            if (tapped && tapped.id === inFlow)
              return { changes: [], replies: [surveyTexts.alreadyInSurvey] };
            if (tapped) return start(tapped.id);
          }
          if (inFlow !== null || data !== null) return null;
          const open = (await openNow(ctx)).map((s) => ({ id: s.survey.id, title: s.survey.title }));
          const picked = pickSurvey(text, open);
          return picked ? start(picked.id) : null;
        }
        case 'cardTap':
        case 'media':
          return null;
      }
    },
  };

  function start(flowId: string): RouteResult {
    return { changes: [], startFlow: { flowId, context: {} } };
  }

  async function openNow(ctx: RouteContext): Promise<SurveyNow[]> {
    return (await allSurveysNow(ctx.db, catalog, ctx.now, settings)).filter((s) => s.status === 'open');
  }
}

/** The open surveys (or that there are none) as the citizens' help lists them, numbered as the route picks them. */
export async function openSurveyLines(
  catalog: SurveyCatalog,
  settings: SurveySettings,
  actor: Actor,
  db: Database,
  now: Date,
): Promise<string[]> {
  if (actor.channel !== CITIZEN_CHANNEL) return [];
  const open = (await allSurveysNow(db, catalog, now, settings)).filter((s) => s.status === 'open');
  return surveyTexts.openList('', open).split('\n');
}

/** The open surveys as items of the citizens' menu (微信客服 msgmenu): a tap starts the survey. */
export async function openSurveyChoices(
  catalog: SurveyCatalog,
  settings: SurveySettings,
  actor: Actor,
  db: Database,
  now: Date,
): Promise<MenuChoice[]> {
  if (actor.channel !== CITIZEN_CHANNEL) return [];
  const open = (await allSurveysNow(db, catalog, now, settings)).filter((s) => s.status === 'open');
  return open.map((s) => ({ id: `${SURVEY_MENU_PREFIX}${s.survey.id}`, label: s.survey.title }));
}
