// unbzip2-stream has no type declarations: a through stream (classic Node stream) that inflates bzip2.
declare module 'unbzip2-stream' {
  import type { Duplex } from 'node:stream';
  function unbzip2Stream(): Duplex;
  export = unbzip2Stream;
}
