//! A minimal arena DOM for html5ever, used to look at HTML the way a browser
//! would build it when checking output for active content.
//!
//! Why not ammonia's DOM: it is private unless ammonia is built with an
//! unstable cfg; `markup5ever_rcdom` is explicitly unsupported and pulls in
//! xml5ever. An arena (nodes in a `Vec`, links as indices) also makes every
//! walk and the final drop iterative, so 50 000 nested elements cannot
//! overflow the stack.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{local_name, ns, Attribute, ParseOpts, QualName};

/// Index of a node in [`Dom::nodes`].
pub(crate) type NodeId = usize;

/// What a node is.
#[derive(Debug)]
pub(crate) enum NodeKind {
    /// The document (or a template's contents fragment).
    Document,
    /// `<!DOCTYPE ...>`.
    Doctype,
    /// Character data.
    Text(StrTendril),
    /// `<!-- ... -->`, including bogus comments such as `<?xml ...>`.
    Comment,
    /// An element, in any namespace.
    Element {
        /// Namespace and local name.
        name: QualName,
        /// Attributes, entity-decoded by the tokenizer.
        attrs: Vec<Attribute>,
        /// For `<template>`: the separate fragment holding its contents.
        template_contents: Option<NodeId>,
        /// MathML `annotation-xml` with an HTML encoding.
        html_integration_point: bool,
    },
}

/// One node of the arena.
#[derive(Debug)]
pub(crate) struct Node {
    /// Parent, if attached.
    pub parent: Option<NodeId>,
    /// Children in document order.
    pub children: Vec<NodeId>,
    /// The node itself.
    pub kind: NodeKind,
}

/// A parsed document or fragment.
#[derive(Debug)]
pub(crate) struct Dom {
    /// All nodes; index 0 is the document.
    pub nodes: Vec<Node>,
}

impl Dom {
    /// The nodes below `root` in document order (pre-order), not including
    /// `root`, descending into template contents as well.
    pub fn descendants(&self, root: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut stack: Vec<NodeId> = self.child_list(root).into_iter().rev().collect();
        while let Some(id) = stack.pop() {
            out.push(id);
            stack.extend(self.child_list(id).into_iter().rev());
        }
        out
    }

    /// Children of a node, with a template's contents appended.
    fn child_list(&self, id: NodeId) -> Vec<NodeId> {
        let node = &self.nodes[id];
        let mut list = node.children.clone();
        if let NodeKind::Element {
            template_contents: Some(t),
            ..
        } = node.kind
        {
            list.push(t);
        }
        list
    }

    /// The concatenated text below `id`.
    pub fn text_content(&self, id: NodeId) -> String {
        let mut text = String::new();
        for d in self.descendants(id) {
            if let NodeKind::Text(t) = &self.nodes[d].kind {
                text.push_str(t);
            }
        }
        text
    }

    /// The element's name, if `id` is an element.
    pub fn element_name(&self, id: NodeId) -> Option<&QualName> {
        match &self.nodes[id].kind {
            NodeKind::Element { name, .. } => Some(name),
            _ => None,
        }
    }

    /// The children of `root` written back as HTML by html5ever's own
    /// serializer (the one ammonia writes its output with), walking the
    /// tree with an explicit stack so deep nesting cannot overflow. Comments
    /// and doctypes are not kept in the arena, so they come out empty.
    pub fn serialize_children(&self, root: NodeId) -> String {
        use html5ever::serialize::{HtmlSerializer, SerializeOpts, Serializer};
        enum Step {
            Enter(NodeId),
            Leave(QualName),
        }
        let mut out = Vec::new();
        let mut ser = HtmlSerializer::new(&mut out, SerializeOpts::default());
        let mut stack: Vec<Step> = self
            .child_list(root)
            .into_iter()
            .rev()
            .map(Step::Enter)
            .collect();
        while let Some(step) = stack.pop() {
            // Writing to a Vec cannot fail.
            let _ = match step {
                Step::Leave(name) => ser.end_elem(name),
                Step::Enter(id) => match &self.nodes[id].kind {
                    NodeKind::Document => {
                        stack.extend(self.child_list(id).into_iter().rev().map(Step::Enter));
                        Ok(())
                    }
                    NodeKind::Doctype => ser.write_doctype(""),
                    NodeKind::Text(t) => ser.write_text(t),
                    NodeKind::Comment => ser.write_comment(""),
                    NodeKind::Element { name, attrs, .. } => {
                        stack.push(Step::Leave(name.clone()));
                        stack.extend(self.child_list(id).into_iter().rev().map(Step::Enter));
                        ser.start_elem(name.clone(), attrs.iter().map(|a| (&a.name, &a.value[..])))
                    }
                },
            };
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// The node that a fragment parse put the fragment's nodes under.
    pub fn fragment_root(&self) -> NodeId {
        // parse_fragment appends a synthetic <html> element to the document
        // and puts the fragment's nodes inside it.
        self.nodes[0].children.first().copied().unwrap_or(0)
    }
}

/// Parses `html` as a fragment inside a `<div>`, as ammonia does, with
/// scripting disabled (as in the preview's script-less sandbox).
pub(crate) fn parse_fragment(html: &str) -> Dom {
    let context = QualName::new(None, ns!(html), local_name!("div"));
    html5ever::parse_fragment(
        Sink::default(),
        ParseOpts::default(),
        context,
        vec![],
        false,
    )
    .one(html)
}

/// Parses `html` as a complete document, with scripting enabled (the
/// html5ever default, as in a normal browser tab).
pub(crate) fn parse_document(html: &str) -> Dom {
    html5ever::parse_document(Sink::default(), ParseOpts::default()).one(html)
}

/// A handle the tree builder holds: the arena index plus the element name,
/// kept outside the arena so `elem_name` can lend it without a `RefCell`
/// borrow outliving the call.
#[derive(Clone, Debug)]
pub(crate) struct Handle(Rc<HandleInner>);

#[derive(Debug)]
struct HandleInner {
    id: NodeId,
    name: QualName,
}

/// The tree builder's sink: the arena behind a `RefCell`, because
/// `TreeSink` methods take `&self`.
struct Sink {
    nodes: RefCell<Vec<Node>>,
    document: Handle,
}

impl Default for Sink {
    fn default() -> Self {
        Sink {
            nodes: RefCell::new(vec![Node {
                parent: None,
                children: Vec::new(),
                kind: NodeKind::Document,
            }]),
            document: Handle(Rc::new(HandleInner {
                id: 0,
                name: empty_name(),
            })),
        }
    }
}

fn empty_name() -> QualName {
    QualName::new(None, ns!(), local_name!(""))
}

impl Sink {
    fn new_node(&self, kind: NodeKind, name: QualName) -> Handle {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node {
            parent: None,
            children: Vec::new(),
            kind,
        });
        Handle(Rc::new(HandleInner {
            id: nodes.len() - 1,
            name,
        }))
    }

    fn detach(nodes: &mut [Node], id: NodeId) {
        if let Some(parent) = nodes[id].parent.take() {
            nodes[parent].children.retain(|&c| c != id);
        }
    }

    /// Appends text to `parent`, merging with a trailing text node.
    fn append_text(nodes: &mut Vec<Node>, parent: NodeId, text: StrTendril) {
        if let Some(&last) = nodes[parent].children.last() {
            if let NodeKind::Text(existing) = &mut nodes[last].kind {
                existing.push_tendril(&text);
                return;
            }
        }
        nodes.push(Node {
            parent: Some(parent),
            children: Vec::new(),
            kind: NodeKind::Text(text),
        });
        let id = nodes.len() - 1;
        nodes[parent].children.push(id);
    }
}

impl TreeSink for Sink {
    type Handle = Handle;
    type Output = Dom;
    type ElemName<'a> = &'a QualName;

    fn finish(self) -> Dom {
        Dom {
            nodes: self.nodes.into_inner(),
        }
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Handle {
        self.document.clone()
    }

    fn elem_name<'a>(&'a self, target: &'a Handle) -> &'a QualName {
        &target.0.name
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        let template_contents = if flags.template {
            Some(self.new_node(NodeKind::Document, empty_name()).0.id)
        } else {
            None
        };
        self.new_node(
            NodeKind::Element {
                name: name.clone(),
                attrs,
                template_contents,
                html_integration_point: flags.mathml_annotation_xml_integration_point,
            },
            name,
        )
    }

    fn create_comment(&self, _text: StrTendril) -> Handle {
        self.new_node(NodeKind::Comment, empty_name())
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Handle {
        // HTML has no processing instructions; the tokenizer turns `<?...>`
        // into a comment. Keep one as a comment should it ever appear.
        self.new_node(NodeKind::Comment, empty_name())
    }

    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        let mut nodes = self.nodes.borrow_mut();
        match child {
            NodeOrText::AppendNode(h) => {
                Sink::detach(&mut nodes, h.0.id);
                nodes[h.0.id].parent = Some(parent.0.id);
                nodes[parent.0.id].children.push(h.0.id);
            }
            NodeOrText::AppendText(text) => Sink::append_text(&mut nodes, parent.0.id, text),
        }
    }

    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        let has_parent = self.nodes.borrow()[element.0.id].parent.is_some();
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {
        let doctype = self.new_node(NodeKind::Doctype, empty_name());
        self.append(&self.document, NodeOrText::AppendNode(doctype));
    }

    fn get_template_contents(&self, target: &Handle) -> Handle {
        let contents = match &self.nodes.borrow()[target.0.id].kind {
            NodeKind::Element {
                template_contents: Some(t),
                ..
            } => Some(*t),
            _ => None,
        };
        match contents {
            Some(id) => Handle(Rc::new(HandleInner {
                id,
                name: empty_name(),
            })),
            // The tree builder only asks for templates; answer with the
            // element itself rather than panic if that ever changes.
            None => target.clone(),
        }
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        x.0.id == y.0.id
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        let mut nodes = self.nodes.borrow_mut();
        let Some(parent) = nodes[sibling.0.id].parent else {
            return;
        };
        let Some(index) = nodes[parent]
            .children
            .iter()
            .position(|&c| c == sibling.0.id)
        else {
            return;
        };
        match new_node {
            NodeOrText::AppendNode(h) => {
                Sink::detach(&mut nodes, h.0.id);
                // Detaching may have shifted the sibling's index.
                let index = nodes[parent]
                    .children
                    .iter()
                    .position(|&c| c == sibling.0.id)
                    .unwrap_or(index);
                nodes[h.0.id].parent = Some(parent);
                nodes[parent].children.insert(index, h.0.id);
            }
            NodeOrText::AppendText(text) => {
                if index > 0 {
                    let prev = nodes[parent].children[index - 1];
                    if let NodeKind::Text(existing) = &mut nodes[prev].kind {
                        existing.push_tendril(&text);
                        return;
                    }
                }
                nodes.push(Node {
                    parent: Some(parent),
                    children: Vec::new(),
                    kind: NodeKind::Text(text),
                });
                let id = nodes.len() - 1;
                nodes[parent].children.insert(index, id);
            }
        }
    }

    fn add_attrs_if_missing(&self, target: &Handle, new_attrs: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let NodeKind::Element { attrs, .. } = &mut nodes[target.0.id].kind {
            for attr in new_attrs {
                if !attrs.iter().any(|a| a.name == attr.name) {
                    attrs.push(attr);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &Handle) {
        Sink::detach(&mut self.nodes.borrow_mut(), target.0.id);
    }

    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        let mut nodes = self.nodes.borrow_mut();
        let children = std::mem::take(&mut nodes[node.0.id].children);
        for &c in &children {
            nodes[c].parent = Some(new_parent.0.id);
        }
        nodes[new_parent.0.id].children.extend(children);
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &Handle) -> bool {
        matches!(
            self.nodes.borrow()[handle.0.id].kind,
            NodeKind::Element {
                html_integration_point: true,
                ..
            }
        )
    }
}
