// The option schema layer is dro-core's platform (`checkOptions`, `opt`); re-exported so the package has
// one import site.
export { checkOptions, type OptionRule as Rule, opt } from '@drojs/dro-core/host';
