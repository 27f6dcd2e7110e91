/** Constants the Discord rooms share. */
import { TEXTS } from '../../core/text/texts.js';

export const NO_MENTIONS = { parse: [] as [] };
export const MODAL_PREFIX = 'qb:modal:';
export const BUTTON_PREFIX = 'qb:answer:';
/** The stand-in text of a message whose content Discord withheld (no Message Content intent). */
export const CONTENT_UNAVAILABLE = TEXTS.contentUnavailable;
