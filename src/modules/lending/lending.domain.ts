/** The lending module's public domain entry: the cooperative aggregate other modules decide against. */
export { cooperativeDecider, cooperativeStream } from './cooperative/cooperative.decider';
