declare module 'franc' {
  interface FrancOptions {
    minLength?: number;
    whitelist?: string[];
    blacklist?: string[];
    only?: string[];
    ignore?: string[];
  }
  function franc(value: string, options?: FrancOptions): string;
  namespace franc {
    function all(value: string, options?: FrancOptions): Array<[string, number]>;
  }
  export = franc;
}
