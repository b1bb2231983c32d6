/** The site's own client directive (src/components/ui/client-interaction.ts), typed for .astro files. */
import 'astro';

declare module 'astro' {
  interface AstroClientDirectives {
    'client:interaction'?: boolean;
  }
}
