/** The sustainers module's public domain entry: the sustainer aggregate other modules decide against. */
export { sustainerDecider, sustainerStream } from './sustainer/sustainer.decider';
