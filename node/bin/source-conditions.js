// Module hook: resolve workspace packages through their "@ipfed/source" export condition.
export async function resolve(specifier, context, next) {
  const conditions = context.conditions.includes("@ipfed/source")
    ? context.conditions
    : [...context.conditions, "@ipfed/source"];
  return next(specifier, { ...context, conditions });
}
