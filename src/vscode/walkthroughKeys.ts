// The real events that check the Get Started walkthrough's steps, and the context keys they set
// (package.json's `onContext:` completion events name these keys; a unit test keeps them in step).
export const WALKTHROUGH_EVENTS = ['issueOpened', 'recalled', 'saved', 'agentConnected'] as const;
export type WalkthroughEvent = (typeof WALKTHROUGH_EVENTS)[number];

/** The context key a walkthrough step's `onContext:` completion event waits for. */
export const walkthroughKey = (event: WalkthroughEvent): string => `dejafix.walkthrough.${event}`;
