mod render;
mod xss;
