// TypeDoc plugin: every symbol a package exports from its entry point needs an `@example` block in its doc
// comment (the issue's "every exported symbol documented with an example"). TypeDoc's own `notDocumented`
// validation only checks that a comment exists; this adds the example rule as a validation warning, so
// `treatValidationWarningsAsErrors` fails `npm run docs` on a missing example just as on a missing comment.
import { relative } from 'node:path';
import { Application, ReflectionKind } from 'typedoc';

/** The comments that document `reflection`: its own, and for functions and methods their signatures'. */
function commentsOf(reflection) {
  const comments = [reflection.comment];
  for (const signature of reflection.signatures ?? []) comments.push(signature.comment);
  if (reflection.type?.type === 'reflection') {
    for (const signature of reflection.type.declaration.signatures ?? []) comments.push(signature.comment);
  }
  return comments.filter((comment) => comment !== undefined);
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    const exported = project.getReflectionsByKind(ReflectionKind.Module).flatMap((m) => m.children ?? []);
    for (const reflection of exported) {
      if (reflection.kindOf(ReflectionKind.Reference)) continue; // a re-export of a symbol checked elsewhere
      const hasExample = commentsOf(reflection).some((comment) => comment.getTag('@example') !== undefined);
      if (!hasExample) {
        const file = project.getSymbolIdFromReflection(reflection)?.fileName;
        app.logger.validationWarning(
          `${reflection.getFriendlyFullName()} (${ReflectionKind[reflection.kind]})` +
            `${file ? `, defined in ${relative(process.cwd(), file)}` : ''}, has no @example in its doc comment`,
        );
      }
    }
  });
}
