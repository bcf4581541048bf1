/** A custom element class carrying the version of the bundle that built it. */
export type VersionedElement = CustomElementConstructor & { version?: string };

/**
 * Defines `tag` unless the page already has it: a second copy of the bundle
 * (the script tag included twice, or the script tag beside an npm build) must
 * not throw. The first definition stays; a warning names both versions.
 *
 * @example
 * ```ts
 * defineElement('escalation-queue', EscalationQueue);
 * ```
 */
export function defineElement(tag: string, element: VersionedElement): void {
  const existing = customElements.get(tag) as VersionedElement | undefined;
  if (!existing) {
    customElements.define(tag, element);
  } else if (existing !== element) {
    console.warn(
      `[resolutionflow] <${tag}> is already defined by version ${existing.version ?? '?'}; this copy (version ${element.version ?? '?'}) is not used.`,
    );
  }
}
