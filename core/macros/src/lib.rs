//! `#[aliases]`: a model field's other spellings, declared once.
//!
//! On a struct, before its derives, it turns each field's
//! `#[alias("succeded")]` into the two attributes that must agree:
//! `#[serde(alias = "succeded")]` (the typed route reads the spelling) and
//! `#[cfg_attr(feature = "schema", schemars(extend("x-aliases" = [..])))]`
//! (the catalog's schema says it, so the schema route every JSON surface
//! uses reads it too). A field without `#[alias]` is left as it is.
//!
//! ```ignore
//! #[contacts_macros::aliases]
//! #[derive(Deserialize, Serialize)]
//! struct SucceededResponse {
//!     #[alias("succeded")]
//!     succeeded: Option<bool>,
//! }
//! ```

use proc_macro::TokenStream;
use quote::quote;
use syn::punctuated::Punctuated;
use syn::{Attribute, Data, DeriveInput, Fields, LitStr, Token, parse_macro_input};

/// See the crate documentation. Errors (at compile time) on an `#[alias]`
/// that is not a list of string literals, or on an item that is not a
/// struct with named fields.
#[proc_macro_attribute]
pub fn aliases(args: TokenStream, item: TokenStream) -> TokenStream {
    if !args.is_empty() {
        return syn::Error::new(
            proc_macro2::Span::call_site(),
            "#[aliases] takes no arguments",
        )
        .to_compile_error()
        .into();
    }
    let mut input = parse_macro_input!(item as DeriveInput);
    match expand(&mut input) {
        Ok(()) => quote!(#input).into(),
        Err(e) => e.to_compile_error().into(),
    }
}

fn expand(input: &mut DeriveInput) -> syn::Result<()> {
    let Data::Struct(data) = &mut input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "#[aliases] is for structs",
        ));
    };
    let Fields::Named(fields) = &mut data.fields else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "#[aliases] needs named fields",
        ));
    };
    for field in &mut fields.named {
        let mut names: Vec<LitStr> = Vec::new();
        let mut kept: Vec<Attribute> = Vec::new();
        for attr in field.attrs.drain(..) {
            if attr.path().is_ident("alias") {
                let list =
                    attr.parse_args_with(Punctuated::<LitStr, Token![,]>::parse_terminated)?;
                if list.is_empty() {
                    return Err(syn::Error::new_spanned(
                        attr,
                        "#[alias] names at least one spelling",
                    ));
                }
                names.extend(list);
            } else {
                kept.push(attr);
            }
        }
        if !names.is_empty() {
            kept.push(syn::parse_quote!(#[serde(#(alias = #names),*)]));
            kept.push(syn::parse_quote!(
                #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = [#(#names),*])))]
            ));
        }
        field.attrs = kept;
    }
    Ok(())
}
